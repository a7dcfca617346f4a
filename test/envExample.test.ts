import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { coreConfigSchema, loadCoreConfig, parseEnv } from '../src/config.js';
import { webConfigSchema } from '../src/web/index.js';
import { metricsConfigSchema } from '../src/metrics/index.js';
import { DATABASE_VARIABLES } from '../src/store/postgres/config.js';
import { adminConfigSchema } from '../src/admin/config.js';
import { projectRoot } from '../src/paths.js';

describe('.env.example and README', () => {
  const example = parse(readFileSync(join(projectRoot, '.env.example'), 'utf8'));
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const variables = [
    ...Object.keys(coreConfigSchema.shape),
    ...Object.keys(webConfigSchema.shape),
    ...DATABASE_VARIABLES,
    ...Object.keys(metricsConfigSchema.shape),
    ...Object.keys(adminConfigSchema.shape),
  ];

  it('copied to .env unchanged, starts the bot in local mode', () => {
    const config = loadCoreConfig(example);
    expect(config.MicrosoftAppId).to.equal(undefined);
    expect(parseEnv(webConfigSchema, example).WIDGET_PRIMARY_COLOR).to.equal('#0b5cad');
  });

  for (const name of variables) {
    it(`documents ${name} in .env.example and the README`, () => {
      expect(example, '.env.example').to.have.property(name);
      expect(readme).to.contain(`\`${name}\``);
    });
  }
});

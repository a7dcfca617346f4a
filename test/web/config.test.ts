import { expect } from 'chai';
import { webConfigSchema } from '../../src/web/index.js';

describe('web configuration', () => {
  it('has working defaults: self-hosted Direct Line, no other site may embed', () => {
    const config = webConfigSchema.parse({});
    expect(config.DIRECT_LINE_SECRET).to.equal(undefined);
    expect(config.ALLOWED_EMBED_ORIGINS).to.deep.equal([]);
    expect(config.WIDGET_POSITION).to.equal('right');
    expect(config.DIRECT_LINE_TOKEN_TTL_SECONDS).to.equal(1800);
  });

  it('reads the embed origins as a comma list and normalises them', () => {
    const config = webConfigSchema.parse({ ALLOWED_EMBED_ORIGINS: ' https://portal.example.org/ ,http://localhost:8080,https://portal.example.org' });
    expect(config.ALLOWED_EMBED_ORIGINS).to.deep.equal(['https://portal.example.org', 'http://localhost:8080']);
  });

  it('names the variable when a value is wrong', () => {
    const cases: Record<string, string> = {
      ALLOWED_EMBED_ORIGINS: 'https://portal.example.org/patients',
      WIDGET_PRIMARY_COLOR: 'blue',
      WIDGET_POSITION: 'top',
      DIRECT_LINE_TOKEN_TTL_SECONDS: '600',
      DIRECT_LINE_TOKEN_KEY: 'short',
      PUBLIC_BASE_URL: 'ftp://bot.example.org',
      DIRECT_LINE_ENDPOINT: 'http://directline.botframework.com/v3/directline',
      RATE_LIMIT_MESSAGES_PER_MINUTE: 'lots',
    };
    for (const [variable, value] of Object.entries(cases)) {
      const result = webConfigSchema.safeParse({ [variable]: value });
      expect(result.success, variable).to.equal(false);
      expect(result.error!.issues[0]!.path[0], variable).to.equal(variable);
    }
  });

  it('treats an empty value as unset, as a blank line in .env means', () => {
    const config = webConfigSchema.parse({ DIRECT_LINE_SECRET: '', WIDGET_TITLE: '  ', PUBLIC_BASE_URL: '' });
    expect(config.DIRECT_LINE_SECRET).to.equal(undefined);
    expect(config.WIDGET_TITLE).to.equal('Eczema questions');
    expect(config.PUBLIC_BASE_URL).to.equal(undefined);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { expect } from 'chai';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import {
  TeamsPackageError,
  buildManifest,
  buildTeamsPackage,
  optionsFromEnv,
  schemaPath,
  unreachablePages,
  validateManifest,
  type TeamsPackageOptions,
} from '../../teams/package.js';
import { loadContent } from '../../src/content/load.js';
import { startWeb, type Running } from './harness.js';

const APP_ID = '0b7e4c1a-5d2f-4e8b-9a61-3c2d1e0f9a88';

const options: TeamsPackageOptions = {
  microsoftAppId: APP_ID,
  clinicName: 'Riverside Dermatology and Skin Allergy Centre of Excellence',
  websiteUrl: 'https://bot.riverside.example.org',
  accentColor: '#7a1f5c',
  version: '1.2.3',
  topics: loadContent(undefined, { packs: ['none'] }).topics,
};

/** The package's own validator (draft-04 aware) on the same local schema: a second opinion on our Ajv setup. */
async function officialVerdict(manifest: unknown): Promise<string[]> {
  const schema = JSON.parse(readFileSync(schemaPath(), 'utf8')) as object;
  return AppManifestUtils.validateAgainstSchema(manifest as TeamsManifest, schema as never);
}

describe('Teams app package', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds a zip with the manifest and both icons at its root, valid against the official schema', async () => {
    const { file } = await buildTeamsPackage(options, join(dir, 'app.zip'));
    const zip = await JSZip.loadAsync(readFileSync(file));
    expect(Object.keys(zip.files).sort()).to.deep.equal(['color.png', 'manifest.json', 'outline.png']);

    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as {
      id: string;
      version: string;
      accentColor: string;
      developer: { name: string; websiteUrl: string; privacyUrl: string };
      name: { short: string; full: string };
      bots: { botId: string; scopes: string[] }[];
    };
    expect(manifest.id).to.equal(APP_ID);
    expect(manifest.bots[0]!.botId).to.equal(APP_ID);
    expect(manifest.bots[0]!.scopes).to.have.members(['personal', 'team', 'groupChat']);
    expect(manifest.version).to.equal('1.2.3');
    expect(manifest.accentColor).to.equal('#7A1F5C');
    expect(manifest.developer.websiteUrl).to.equal('https://bot.riverside.example.org');
    expect(manifest.developer.privacyUrl).to.equal('https://bot.riverside.example.org/privacy');
    // A long clinic name is shortened to the schema's limits instead of failing the build.
    expect(manifest.developer.name.length).to.be.at.most(32);
    expect(manifest.name.full).to.include('Riverside Dermatology');

    expect(validateManifest(manifest)).to.deep.equal([]);
    expect(await officialVerdict(manifest)).to.deep.equal([]);
  });

  it('draws a 192×192 opaque colour icon and a 32×32 white-on-transparent outline icon', async () => {
    const { file } = await buildTeamsPackage(options, join(dir, 'icons.zip'));
    const zip = await JSZip.loadAsync(readFileSync(file));
    const color = PNG.sync.read(await zip.file('color.png')!.async('nodebuffer'));
    expect([color.width, color.height]).to.deep.equal([192, 192]);
    const outline = PNG.sync.read(await zip.file('outline.png')!.async('nodebuffer'));
    expect([outline.width, outline.height]).to.deep.equal([32, 32]);

    let opaqueColor = true;
    const colours = new Set<string>();
    for (let i = 0; i < color.data.length; i += 4) {
      if (color.data[i + 3] !== 255) opaqueColor = false;
      colours.add(`${color.data[i]},${color.data[i + 1]},${color.data[i + 2]}`);
    }
    expect(opaqueColor).to.equal(true);
    expect(colours.has('122,31,92')).to.equal(true); // the accent background
    expect(colours.has('255,255,255')).to.equal(true); // the white symbol

    let transparent = 0;
    let solid = 0;
    let nonWhite = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const alpha = outline.data[i + 3]!;
      if (alpha === 0) transparent += 1;
      if (alpha === 255) solid += 1;
      if (alpha > 0 && (outline.data[i] !== 255 || outline.data[i + 1] !== 255 || outline.data[i + 2] !== 255)) nonWhite += 1;
    }
    expect(nonWhite).to.equal(0);
    expect(transparent).to.be.above(100);
    expect(solid).to.be.above(100);
  });

  it('refuses a missing or malformed MicrosoftAppId with a message that names it', () => {
    expect(() => optionsFromEnv({})).to.throw(TeamsPackageError, /MicrosoftAppId is not set/);
    expect(() => optionsFromEnv({ MicrosoftAppId: '  ' })).to.throw(TeamsPackageError, /MicrosoftAppId is not set/);
    return buildTeamsPackage({ ...options, microsoftAppId: 'my-bot' }, join(dir, 'bad.zip')).then(
      () => expect.fail('built a package for a non-GUID app id'),
      (error: unknown) => {
        expect(error).to.be.instanceOf(TeamsPackageError);
        expect((error as Error).message).to.match(/MicrosoftAppId must be .* GUID/);
      },
    );
  });

  it('refuses http developer URLs, which Teams would reject at upload', async () => {
    try {
      await buildTeamsPackage({ ...options, websiteUrl: 'http://bot.example.org' }, join(dir, 'http.zip'));
      expect.fail('built a package with an http website');
    } catch (error) {
      expect((error as Error).message).to.match(/PUBLIC_BASE_URL must be an https URL/);
    }
  });

  it('has a validator that rejects what Teams would reject, in agreement with the official one', async () => {
    const broken = {
      ...JSON.parse(JSON.stringify((await buildTeamsPackage(options, join(dir, 'ok.zip'))).manifest)),
      name: { short: 'A name far too long for the Teams short-name limit' },
      bots: [{ botId: 'not-a-guid', scopes: ['personal'] }],
    };
    const ours = validateManifest(broken);
    expect(ours.join('\n')).to.match(/\/name\/short/);
    expect(ours.join('\n')).to.match(/\/bots\/0\/botId/);
    expect((await officialVerdict(broken)).length).to.be.above(0);
  });
});

describe('Teams package: privacy and terms URLs', () => {
  let web: Running;
  before(async () => {
    web = await startWeb();
  });
  after(() => web.close());

  it('by default names the pages the bot serves at PUBLIC_BASE_URL, and those pages answer', async () => {
    const manifest = buildManifest(optionsFromEnv({ MicrosoftAppId: APP_ID, PUBLIC_BASE_URL: 'https://bot.riverside.example.org' }));
    const { privacyUrl, termsOfUseUrl } = manifest.developer as { privacyUrl: string; termsOfUseUrl: string };
    const served: string[] = [];
    for (const url of [privacyUrl, termsOfUseUrl]) {
      expect(new URL(url).origin).to.equal('https://bot.riverside.example.org');
      // The same path on a running bot: the page Teams users open from the app's details.
      const local = `${web.url}${new URL(url).pathname}`;
      const res = await fetch(local);
      expect(res.status, url).to.equal(200);
      expect(await res.text()).to.contain('Test Clinic');
      served.push(local);
    }
    expect(served.map((u) => new URL(u).pathname)).to.deep.equal(['/privacy', '/terms']);
    expect(await unreachablePages(served)).to.deep.equal([]);
  });

  it('refuses defaults that would name no served page: PUBLIC_BASE_URL unset and no URL of the clinic', () => {
    expect(() => optionsFromEnv({ MicrosoftAppId: APP_ID })).to.throw(TeamsPackageError, /neither PUBLIC_BASE_URL nor TEAMS_PRIVACY_URL is set/);
    expect(() => optionsFromEnv({ MicrosoftAppId: APP_ID, TEAMS_PRIVACY_URL: 'https://clinic.example.org/privacy' })).to.throw(
      TeamsPackageError,
      /neither PUBLIC_BASE_URL nor TEAMS_TERMS_URL is set/,
    );
  });

  it("takes the clinic's own URLs when configured, with or without PUBLIC_BASE_URL", () => {
    const own = { TEAMS_PRIVACY_URL: 'https://clinic.example.org/legal/privacy', TEAMS_TERMS_URL: 'https://clinic.example.org/legal/terms' };
    for (const env of [{ MicrosoftAppId: APP_ID, ...own }, { MicrosoftAppId: APP_ID, PUBLIC_BASE_URL: 'https://bot.example.org', ...own }]) {
      const developer = buildManifest(optionsFromEnv(env)).developer as { privacyUrl: string; termsOfUseUrl: string };
      expect([developer.privacyUrl, developer.termsOfUseUrl]).to.deep.equal([own.TEAMS_PRIVACY_URL, own.TEAMS_TERMS_URL]);
    }
  });

  it('--check-urls reports a page that does not answer 200 HTML', async () => {
    const problems = await unreachablePages([`${web.url}/privacy`, `${web.url}/privacy-policy`, `${web.url}/healthz-nope`, `${web.url}/widget.js`]);
    expect(problems).to.have.length(3);
    expect(problems[0]).to.equal(`${web.url}/privacy-policy answered 404`);
    expect(problems[2]).to.match(/widget\.js is not an HTML page/);
  });
});

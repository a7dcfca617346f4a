/**
 * `npm run teams:package`: builds the Teams app package to sideload or hand to a Teams admin,
 * teams/build/eczema-faq-bot.zip = manifest.json + color.png + outline.png at the zip root, and checks the
 * manifest offline against the official JSON schema shipped in @microsoft/app-manifest.
 *
 * Reads the environment and, when present, the project's .env (the environment wins):
 *   MicrosoftAppId (required, the Azure Bot's app id), CLINIC_NAME, PUBLIC_BASE_URL, WIDGET_PRIMARY_COLOR,
 *   TEAMS_APP_ID, TEAMS_APP_VERSION, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL, and CONTENT_PACKS (the command list
 *   offers the topics of the packs that are on, as the bot does).
 *
 * The privacy and terms URLs default to the bot's own pages (/privacy, /terms, src/web/legal.ts) at PUBLIC_BASE_URL;
 * without PUBLIC_BASE_URL a default would name a page nobody serves, so the build refuses unless the clinic gives
 * its own URLs. `-- --check-urls` also fetches both and refuses unless they answer 200.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import JSZip from 'jszip';
import { PRIVACY_PATH, TERMS_PATH } from '../src/web/legal.js';
import { colorIcon, outlineIcon } from './icons.js';
import { loadContent } from '../src/content/load.js';
import { parseContentPacks } from '../src/content/packs.js';
import { teamsCommands } from '../src/content/promises.js';
import type { Topic } from '../src/core/types.js';

const teamsDir = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(teamsDir, '..');
export const MANIFEST_VERSION = '1.22';
export const defaultOutFile = join(teamsDir, 'build', 'eczema-faq-bot.zip');

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export class TeamsPackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamsPackageError';
  }
}

export interface TeamsPackageOptions {
  microsoftAppId: string;
  /** Defaults to the bot's app id: one GUID to manage for a simple clinic install. */
  teamsAppId?: string;
  clinicName: string;
  /** Developer website in the manifest (https); defaults to PUBLIC_BASE_URL's origin. */
  websiteUrl: string;
  privacyUrl?: string;
  termsUrl?: string;
  accentColor: string;
  version: string;
  /** The topics of the content packs that are on (data/catalog.yaml): the command list offers these and Help. */
  topics: readonly Topic[];
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const shortened = text.slice(0, max - 1);
  const space = shortened.lastIndexOf(' ');
  return `${(space > max / 2 ? shortened.slice(0, space) : shortened).trimEnd()}…`;
}

function httpsUrl(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TeamsPackageError(`${variable} must be an https URL (got "${value}")`);
  }
  if (url.protocol !== 'https:') throw new TeamsPackageError(`${variable} must be an https URL; Teams refuses http (got "${value}")`);
  return url.href.replace(/\/$/, '');
}

/** The manifest, from teams/manifest.template.json with the placeholders filled in. */
export function buildManifest(options: TeamsPackageOptions): Record<string, unknown> {
  if (!GUID.test(options.microsoftAppId)) {
    throw new TeamsPackageError(
      `MicrosoftAppId must be the Azure Bot's app id, a GUID like 00000000-0000-0000-0000-000000000000 (got "${options.microsoftAppId}")`,
    );
  }
  const teamsAppId = options.teamsAppId ?? options.microsoftAppId;
  if (!GUID.test(teamsAppId)) throw new TeamsPackageError(`TEAMS_APP_ID must be a GUID (got "${teamsAppId}")`);
  if (!SEMVER.test(options.version)) throw new TeamsPackageError(`TEAMS_APP_VERSION must look like 1.0.0 (got "${options.version}")`);
  if (!HEX_COLOR.test(options.accentColor)) throw new TeamsPackageError(`WIDGET_PRIMARY_COLOR must be a colour like #0b5cad (got "${options.accentColor}")`);
  const website = httpsUrl(options.websiteUrl, 'PUBLIC_BASE_URL');
  const values: Record<string, string> = {
    VERSION: options.version,
    TEAMS_APP_ID: teamsAppId,
    MICROSOFT_APP_ID: options.microsoftAppId,
    DEVELOPER_NAME: cut(options.clinicName, 32),
    FULL_NAME: cut(`${options.clinicName} eczema FAQ assistant`, 100),
    WEBSITE_URL: website,
    PRIVACY_URL: httpsUrl(options.privacyUrl ?? `${website}${PRIVACY_PATH}`, 'TEAMS_PRIVACY_URL'),
    TERMS_URL: httpsUrl(options.termsUrl ?? `${website}${TERMS_PATH}`, 'TEAMS_TERMS_URL'),
    ACCENT_COLOR: options.accentColor.toUpperCase(),
  };
  const template = JSON.parse(readFileSync(join(teamsDir, 'manifest.template.json'), 'utf8')) as unknown;
  // Placeholders are filled inside parsed string values, so no value can break the JSON around it.
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(/\{\{([A-Z_]+)\}\}/g, (_m, key: string) => {
        const value = values[key];
        if (value === undefined) throw new TeamsPackageError(`manifest.template.json uses an unknown placeholder {{${key}}}`);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  const manifest = fill(template) as { bots: { commandLists: { commands: unknown }[] }[] } & Record<string, unknown>;
  // The commands promise what the bot covers, so they come from the catalog's topics, never from the template.
  for (const bot of manifest.bots) for (const list of bot.commandLists) list.commands = teamsCommands(options.topics);
  return manifest;
}

/** The official schema for our manifest version, from the @microsoft/app-manifest package (no network). */
export function schemaPath(version = MANIFEST_VERSION): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@microsoft/app-manifest'));
  for (let depth = 0; depth < 4 && !existsSync(join(dir, 'package.json')); depth += 1) dir = dirname(dir);
  const file = join(dir, 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
  if (!existsSync(file)) throw new TeamsPackageError(`the Teams manifest schema v${version} is not in @microsoft/app-manifest (${file})`);
  return file;
}

// Compiling the schema takes about a second; one compiled validator per version is enough.
const validators = new Map<string, ValidateFunction>();

function validatorFor(version: string): ValidateFunction {
  const cached = validators.get(version);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(schemaPath(version), 'utf8')) as Record<string, unknown>;
  // The schema declares draft-04, which Ajv 8 no longer ships a meta-schema for. It uses no draft-04-only
  // keyword (no `id`, no boolean exclusiveMinimum), so it compiles as it stands once the declaration is dropped;
  // the test suite cross-checks the verdict with the package's own draft-04 validator.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
  addFormatsModule.default(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  validators.set(version, validate);
  return validate;
}

/** Schema errors as "path message" lines; empty when the manifest is valid. */
export function validateManifest(manifest: unknown, version = MANIFEST_VERSION): string[] {
  const validate = validatorFor(version);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(manifest)'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

export async function buildTeamsPackage(options: TeamsPackageOptions, outFile = defaultOutFile): Promise<{ file: string; manifest: Record<string, unknown> }> {
  const manifest = buildManifest(options);
  const errors = validateManifest(manifest);
  if (errors.length > 0) throw new TeamsPackageError(`the manifest does not match the Teams schema v${MANIFEST_VERSION}:\n  ${errors.join('\n  ')}`);
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file('color.png', colorIcon(options.accentColor));
  zip.file('outline.png', outlineIcon());
  const content = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, content);
  return { file: outFile, manifest };
}

/**
 * Fetches each URL and returns one line per URL that does not answer 200 with an HTML page (Teams shows these pages
 * to users from the app's details); empty when all do.
 */
export async function unreachablePages(urls: readonly string[], fetchPage: typeof fetch = fetch): Promise<string[]> {
  const problems: string[] = [];
  for (const url of urls) {
    try {
      const res = await fetchPage(url, { redirect: 'follow', signal: AbortSignal.timeout(10_000) });
      const type = res.headers.get('content-type') ?? '';
      await res.body?.cancel();
      if (res.status !== 200) problems.push(`${url} answered ${res.status}`);
      else if (!type.includes('text/html')) problems.push(`${url} is not an HTML page (${type || 'no content type'})`);
    } catch (error) {
      const { message, cause } = error as Error & { cause?: { code?: string; message?: string } };
      problems.push(`${url} could not be fetched (${cause?.code ?? cause?.message ?? message})`);
    }
  }
  return problems;
}

/** Options from the environment, with .env read first when present; a clear message when something is missing. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): TeamsPackageOptions {
  const value = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const appId = value('MicrosoftAppId');
  if (!appId) {
    throw new TeamsPackageError(
      'MicrosoftAppId is not set. Put the Azure Bot\'s app id (Azure portal > your Azure Bot > Configuration > Microsoft App ID) in .env or the environment, then run again.',
    );
  }
  const version = value('TEAMS_APP_VERSION') ?? (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const base = value('PUBLIC_BASE_URL');
  // The defaults are the bot's own pages, so they exist only where the bot is: at PUBLIC_BASE_URL.
  for (const [variable, path] of [['TEAMS_PRIVACY_URL', PRIVACY_PATH], ['TEAMS_TERMS_URL', TERMS_PATH]] as const) {
    if (!base && !value(variable)) {
      throw new TeamsPackageError(
        `neither PUBLIC_BASE_URL nor ${variable} is set, so the manifest's ${path.slice(1)} URL would name a page nobody serves. Set PUBLIC_BASE_URL to the bot's https address (the bot serves ${path} there), or ${variable} to the clinic's own page.`,
      );
    }
  }
  return {
    microsoftAppId: appId,
    teamsAppId: value('TEAMS_APP_ID'),
    clinicName: value('CLINIC_NAME') ?? 'Demo Dermatology Clinic',
    websiteUrl: base ? new URL(base).origin : 'https://clinic.example.org',
    privacyUrl: value('TEAMS_PRIVACY_URL'),
    termsUrl: value('TEAMS_TERMS_URL'),
    accentColor: value('WIDGET_PRIMARY_COLOR') ?? '#0b5cad',
    version,
    // The packs the bot runs with: CONTENT_PACKS as the server reads it, else each pack's `enabled`.
    topics: loadContent(projectRoot, { packs: parseContentPacks(value('CONTENT_PACKS')) }).topics,
  };
}

async function main(): Promise<void> {
  const envFile = join(projectRoot, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  try {
    const options = optionsFromEnv(process.env);
    const developer = buildManifest(options).developer as { privacyUrl: string; termsOfUseUrl: string };
    const pages = [developer.privacyUrl, developer.termsOfUseUrl];
    if (process.argv.includes('--check-urls')) {
      const problems = await unreachablePages(pages);
      if (problems.length > 0) throw new TeamsPackageError(`the privacy and terms pages must answer before Teams users open them:\n  ${problems.join('\n  ')}`);
    }
    const { file } = await buildTeamsPackage(options);
    console.log(`Teams app package written to ${file}`);
    console.log(`Manifest v${MANIFEST_VERSION} is valid against the official schema. Bot id ${options.microsoftAppId}.`);
    console.log(`Privacy and terms pages: ${pages.join(' and ')}${process.argv.includes('--check-urls') ? ' (both answer)' : ' (check they answer: -- --check-urls)'}.`);
    if (!process.env.PUBLIC_BASE_URL) {
      console.log('Note: PUBLIC_BASE_URL is not set, so the manifest names https://clinic.example.org as the developer website.');
    }
  } catch (error) {
    if (error instanceof TeamsPackageError) {
      console.error(`Cannot build the Teams package: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}

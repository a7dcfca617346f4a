import { join } from 'node:path';
import { z } from 'zod';
import { varDir } from './paths.js';

/** Start-up stops on this; the message is one line naming the variable and what it expected. */
export class ConfigError extends Error {
  constructor(readonly variable: string, expected: string) {
    super(`Invalid configuration: ${variable} ${expected}`);
    this.name = 'ConfigError';
  }
}

/** An empty value in .env means "use the default", as if the variable were absent. */
export const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().trim().optional());
export const intIn = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const coreConfigSchema = z.object({
  PORT: intIn(0, 65535, 3978),
  /** The bot SDK at the edge (docs/SDK.md): botbuilder (the default, archived) or the Microsoft 365 Agents SDK. */
  BOT_SDK: z.preprocess(emptyAsUndefined, z.enum(['botbuilder', 'agents']).default('botbuilder')),
  MicrosoftAppId: z.preprocess(emptyAsUndefined, z.string().regex(GUID, 'a GUID (the Azure Bot app id)').optional()),
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.preprocess(emptyAsUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
  MicrosoftAppTenantId: optionalString,
  DB_FILE: z.preprocess(emptyAsUndefined, z.string().default(join(varDir, 'db.json'))),
  MODEL_FILE: z.preprocess(emptyAsUndefined, z.string().default(join(varDir, 'model.json'))),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  CLINIC_NAME: z.preprocess(emptyAsUndefined, z.string().max(100).default('Demo Dermatology Clinic')),
  CLINIC_PHONE: z.preprocess(emptyAsUndefined, z.string().regex(/^\+?[0-9 ().-]{5,25}$/, 'a phone number such as +1 555 010 0199').default('+1 555 010 0199')),
  CLINIC_BOOKING_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).default('https://clinic.example.org/book')),
  /** Optional contact details shown on the privacy and terms pages (/privacy, /terms) beside the phone. */
  CLINIC_EMAIL: z.preprocess(emptyAsUndefined, z.email('an email address such as info@clinic.example.org').optional()),
  CLINIC_ADDRESS: z.preprocess(emptyAsUndefined, z.string().trim().max(200).optional()),
  EMERGENCY_NUMBER: z.preprocess(emptyAsUndefined, z.string().regex(/^[0-9]{2,4}$/, 'a short emergency number such as 911, 999 or 112').default('911')),
  /**
   * Optional content packs to turn on, comma-separated ("everyday-care"), or "none" for the clinic's own content
   * only; unset: each pack's `enabled` in data/catalog.yaml. Names are checked against the catalog at start-up.
   */
  CONTENT_PACKS: z.preprocess(
    emptyAsUndefined,
    z.string().trim().regex(/^[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*$/, 'pack ids separated by commas, e.g. everyday-care, or none').optional(),
  ),
  RETENTION_DAYS: intIn(1, 3650, 90),
  MAX_MESSAGE_CHARS: intIn(50, 10000, 1000),
  MAX_BODY_BYTES: intIn(1024, 1024 * 1024, 64 * 1024),
  SHUTDOWN_GRACE_MS: intIn(0, 60000, 10000),
  /**
   * Longest a turn spends getting its replies to the channel, retries included. Azure Bot Service waits 15 s for
   * the bot's answer, so the bound stays below that; a failing connector holds a conversation no longer than this.
   */
  REPLY_DELIVERY_TIMEOUT_MS: intIn(500, 14000, 4000),
  /** How long a client may take to send a request (docs: src/server/timeouts.ts); Node's own default is 300 s. */
  HTTP_HEADERS_TIMEOUT_MS: intIn(1000, 120000, 10000),
  HTTP_BODY_TIMEOUT_MS: intIn(1000, 120000, 10000),
  HTTP_REQUEST_TIMEOUT_MS: intIn(1000, 300000, 15000),
  /** Reverse proxies in front of the bot; their X-Forwarded-For is trusted so per-IP limits see patients, not the proxy. */
  TRUST_PROXY_HOPS: intIn(0, 10, 0),
});

export type CoreConfig = z.infer<typeof coreConfigSchema>;

/**
 * Parse the environment against a schema. The first problem becomes a ConfigError naming the variable and
 * what it expected, because an IT person reads one line, fixes it and restarts.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? '(environment)');
  const got = env[variable];
  throw new ConfigError(variable, `${describeIssue(issue)}${got === undefined ? '' : ` (got "${got}")`}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `must be a valid ${issue.format}` : `must be ${issue.message}`;
    default:
      return `is invalid: ${issue.message}`;
  }
}

/**
 * The Azure Bot's credentials under either SDK's names: botbuilder's (MicrosoftAppId, MicrosoftAppPassword,
 * MicrosoftAppTenantId) or the Agents SDK's connection settings (clientId, clientSecret, tenantId, or the long form
 * Connections__ServiceConnection__Settings__ClientId …). Either set works with either BOT_SDK; both sets may be
 * given when they agree. A tenant given the Agents way means a single-tenant app unless MicrosoftAppType says
 * otherwise, as the Agents SDK reads it.
 */
const CREDENTIAL_NAMES = [
  { ours: 'MicrosoftAppId', agents: ['clientId', 'Connections__ServiceConnection__Settings__ClientId'] },
  { ours: 'MicrosoftAppPassword', agents: ['clientSecret', 'Connections__ServiceConnection__Settings__ClientSecret'] },
  { ours: 'MicrosoftAppTenantId', agents: ['tenantId', 'Connections__ServiceConnection__Settings__TenantId'] },
] as const;

export function credentialsFromEitherNames(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...env };
  let tenantTheAgentsWay = false;
  for (const { ours, agents } of CREDENTIAL_NAMES) {
    const given = [ours, ...agents].map((name) => ({ name, value: emptyAsUndefined(env[name]) as string | undefined })).filter((g) => g.value !== undefined);
    const first = given[0];
    if (!first) continue;
    const other = given.find((g) => g.value!.trim() !== first.value!.trim());
    if (other) throw new ConfigError(other.name, `must equal ${first.name} when both are set (they name the same Azure Bot credential)`);
    merged[ours] = first.value;
    if (ours === 'MicrosoftAppTenantId' && first.name !== ours) tenantTheAgentsWay = true;
    if (ours === 'MicrosoftAppId' && first.name !== ours && !GUID.test(first.value!.trim())) {
      throw new ConfigError(first.name, `must be a GUID (the Azure Bot app id) (got "${first.value}")`);
    }
  }
  if (tenantTheAgentsWay && emptyAsUndefined(env.MicrosoftAppType) === undefined) merged.MicrosoftAppType = 'SingleTenant';
  return merged;
}

export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const config = parseEnv(coreConfigSchema, credentialsFromEitherNames(env));
  if (config.MicrosoftAppId && config.MicrosoftAppType !== 'UserAssignedMSI' && !config.MicrosoftAppPassword) {
    throw new ConfigError('MicrosoftAppPassword', 'must be set when MicrosoftAppId is set (unless MicrosoftAppType=UserAssignedMSI)');
  }
  if (config.MicrosoftAppType === 'SingleTenant' && config.MicrosoftAppId && !config.MicrosoftAppTenantId) {
    throw new ConfigError('MicrosoftAppTenantId', 'must be set when MicrosoftAppType=SingleTenant');
  }
  // Node refuses a header timeout longer than the whole-request one.
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', `must be at most HTTP_REQUEST_TIMEOUT_MS (${config.HTTP_REQUEST_TIMEOUT_MS})`);
  }
  return config;
}

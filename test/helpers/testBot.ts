import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter, type Activity, type Attachment } from 'botbuilder';
import { loadCoreConfig, type CoreConfig } from '../../src/config.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { start, type RunningServer } from '../../src/server/index.js';
import { loadCore, type Core } from '../../src/core/loadCore.js';
import { openLowdbStore } from '../../src/store/lowdb/index.js';
import type { RecordStore } from '../../src/store/records.js';
import { turnErrorHandler } from '../../src/bot/adapter.js';
import { assembleBot } from '../../src/bot/assemble.js';
import { assembleConversation } from '../../src/bot/assembleConversation.js';
import { createEczemaAgent } from '../../src/bot/agents/app.js';
import { AgentsTestAdapter } from './agentsTestAdapter.js';

let sharedCore: Core | undefined;
let sharedDir: string | undefined;

/** Test configuration: defaults, a model file in a temp folder, quiet logs. */
export function testConfig(overrides: Partial<CoreConfig> = {}): CoreConfig {
  sharedDir ??= mkdtempSync(join(tmpdir(), 'eczema-bot-test-'));
  // BOT_SDK picks the SDK edge every server a test starts runs on (the CI runs the channel suites on both).
  return { ...loadCoreConfig({ BOT_SDK: process.env.BOT_SDK }), MODEL_FILE: join(sharedDir, 'model.json'), DB_FILE: join(sharedDir, 'db.json'), LOG_LEVEL: 'silent', ...overrides };
}

/** Content, model and rules, loaded once per test run (they do not change during it). */
export function testCore(): Core {
  sharedCore ??= loadCore(testConfig(), silentLogger);
  return sharedCore;
}

export interface TestBot {
  /** Send text, or a card submit value, and get back the bot's message activities for that turn. */
  say(input: string | { value: Record<string, unknown> }): Promise<Partial<Activity>[]>;
  /** Start the conversation the way Web Chat does (conversationUpdate with the patient joining). */
  join(): Promise<Partial<Activity>[]>;
  records: RecordStore;
  close(): Promise<void>;
}

/**
 * A conversation with the real bot, its own database file, and the channel of your choice ('webchat' renders
 * cards, 'terminal' renders numbered text), on the bot SDK BOT_SDK names (the CI runs the conversation tests on
 * both): botbuilder's TestAdapter around EczemaBot, or the Agents SDK's AgentApplication (src/bot/agents/app.ts)
 * on a test adapter of ours. Either way the real bot edge runs: its handlers, its state, its turn order. The shared
 * test core unless one is given.
 */
export async function createTestBot(channelId = 'webchat', now?: () => number, core: Core = testCore()): Promise<TestBot> {
  const dir = mkdtempSync(join(tmpdir(), 'eczema-bot-conv-'));
  const store = await openLowdbStore(join(dir, 'db.json'), silentLogger);
  const conversation = { id: `test-${channelId}` };
  const close = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const joining = { type: 'conversationUpdate', membersAdded: [{ id: 'patient', name: 'Patient' }] };
  const incoming = (input: string | { value: Record<string, unknown> }) => (typeof input === 'string' ? { type: 'message', text: input } : { type: 'message', value: input.value });

  if (testConfig().BOT_SDK === 'agents') {
    const { conversation: flow, records, storage } = assembleConversation(core, store, silentLogger, now);
    const agent = createEczemaAgent(flow, storage, silentLogger);
    const adapter = new AgentsTestAdapter((context) => agent.run(context), { channelId, conversation });
    adapter.onTurnError = turnErrorHandler(silentLogger);
    // Typed as botbuilder's Activity for the tests' helpers: the JSON of a message is the same on both SDKs.
    const collect = () => adapter.sent.splice(0).filter((a) => a.type === 'message') as Partial<Activity>[];
    return {
      say: async (input) => (await adapter.receiveActivity(incoming(input)), collect()),
      join: async () => (await adapter.receiveActivity(joining), collect()),
      records,
      close,
    };
  }

  const { bot, records } = assembleBot(core, store, silentLogger, now);
  const adapter = new TestAdapter((context) => bot.run(context), { channelId, conversation } as Partial<Activity>);
  adapter.onTurnError = turnErrorHandler(silentLogger);
  const collect = () => adapter.activeQueue.splice(0).filter((a) => a.type === 'message');
  return {
    say: async (input) => (await adapter.receiveActivity(incoming(input) as Partial<Activity>), collect()),
    join: async () => (await adapter.receiveActivity(joining as Partial<Activity>), collect()),
    records,
    close,
  };
}

/** The Adaptive Card of a message, if it has one. */
export function cardOf(activity: Partial<Activity>): Record<string, unknown> | undefined {
  const attachment = activity.attachments?.find((a: Attachment) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment?.content as Record<string, unknown> | undefined;
}

/**
 * What a message says in one string: its text, or for an urgent or emergency alert card the card's plain-text
 * form (its fallbackText: "EMERGENCY: call 911 now, …"), which carries the same words as the card.
 */
export function said(activity: Partial<Activity>): string {
  if (activity.text) return activity.text;
  const fallback = cardOf(activity)?.fallbackText;
  return typeof fallback === 'string' ? fallback : '';
}

/** All visible text of a message: its text, and every TextBlock and button title of its card. */
export function visibleText(activity: Partial<Activity>): string {
  const parts: string[] = [];
  if (activity.text) parts.push(activity.text);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'TextBlock' && typeof n.text === 'string') parts.push(n.text);
      if (typeof n.title === 'string' && typeof n.type === 'string' && n.type.startsWith('Action.')) parts.push(n.title);
      Object.values(n).forEach(walk);
    }
  };
  walk(cardOf(activity));
  return parts.join('\n');
}

/** The submit values of a card's buttons, in order, with their titles. */
export function buttonsOf(activity: Partial<Activity>): Array<{ title: string; data: Record<string, unknown> }> {
  const found: Array<{ title: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.Submit') found.push({ title: String(n.title), data: n.data as Record<string, unknown> });
      Object.values(n).forEach(walk);
    }
  };
  walk(cardOf(activity));
  return found;
}

/** The real HTTP server on a free port, with its own database file, quiet unless a logger is given. */
export async function startTestServer(config: Partial<CoreConfig> = {}, logger: Logger = silentLogger): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'eczema-server-'));
  return start({ env: {}, config: { ...testConfig(), PORT: 0, DB_FILE: join(dir, 'db.json'), ...config }, logger });
}

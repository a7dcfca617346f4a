import type { Request } from 'express';
import type { CoreConfig } from '../config.js';
import type { Core } from '../core/loadCore.js';
import type { InProcessFactory } from '../directline/store.js';
import type { Logger } from '../logger.js';
import type { BotStore } from '../store/contract.js';
import type { RecordStore } from '../store/records.js';
import type { TurnLike } from './turn.js';

/**
 * The bot SDK edge: everything that differs between botbuilder (BOT_SDK=botbuilder, the default; src/bot/botbuilder.ts)
 * and the Microsoft 365 Agents SDK (BOT_SDK=agents; src/bot/agents/). The composition root (src/server/index.ts)
 * loads one of the two; the conversation, the core, the store, the channels' routes and the widget are the same on
 * both. No SDK type crosses this interface.
 */
export const BOT_SDKS = ['botbuilder', 'agents'] as const;
export type BotSdk = (typeof BOT_SDKS)[number];

export interface EdgeDeps {
  core: Core;
  store: BotStore;
  config: CoreConfig;
  logger: Logger;
  /** Wraps every channel's turn (metrics, the conversation's lock across instances). */
  around: (turn: TurnLike, run: () => Promise<void>) => Promise<void>;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

export interface BotEdge {
  readonly sdk: BotSdk;
  readonly records: RecordStore;
  /** Turns in flight, for graceful shutdown. */
  idleNow(): boolean;
  idle(): Promise<void>;
  /** POST /api/messages (Azure Bot Service, Teams, the Emulator). */
  readonly messages: MessagesChannel;
  /** The in-process runner for the built-in Direct Line (the widget and the portal). */
  readonly inProcess: InProcessFactory;
}

/**
 * Where an SDK writes its answer to /api/messages (status, invoke body), so the route can look at it before the
 * client does: enough of an HTTP response for botbuilder (status, header, send, end) and for the Agents SDK
 * (setHeader, headersSent, writableEnded as well).
 */
export interface ResponseSink {
  socket: unknown;
  statusCode: number;
  body: unknown;
  headersSent: boolean;
  writableEnded: boolean;
  status(code: number): this;
  send(body?: unknown): this;
  header(name: string, value: unknown): this;
  setHeader(name: string, value: string): this;
  end(): this;
}

export interface MessagesChannel {
  /**
   * With an app id / client id: verifies the request's Bot Framework token with the SDK's own verifier; false
   * when it is refused (the route answers 401). botbuilder verifies inside `process`, so its edge says true here.
   */
  authenticate(req: Request): Promise<boolean>;
  /**
   * Runs the activity in `req.body` (already checked by src/server/activitySchema.ts) through the SDK's adapter and
   * the bot; the SDK's answer (status, invoke body) is written to `res`. `started` is called once the bot is about
   * to run, with the turn, so the route can read its delivery outcome after.
   */
  process(req: Request, res: ResponseSink, started: (turn: TurnLike) => void): Promise<void>;
}

export type EdgeFactory = (deps: EdgeDeps) => BotEdge;

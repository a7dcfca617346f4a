import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ActivityHandler, CardFactory, MessageFactory } from 'botbuilder';
import { silentLogger } from '../../src/logger.js';
import { DirectLineAdapter } from '../../src/bot/directLineAdapter.js';
import { createWeb, webConfigSchema, type WebConfig, type WebDeps } from '../../src/web/index.js';

/**
 * A tiny bot standing in for the lead's: welcomes each member added, echoes text together with the user id the
 * server gave it (so a test can see who the bot believes it is talking to), and answers "card" with a card.
 */
export class EchoBot extends ActivityHandler {
  readonly seenUserIds: string[] = [];
  constructor() {
    super();
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) await context.sendActivity('Welcome! I am an automated assistant.');
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      this.seenUserIds.push(context.activity.from.id);
      const text = context.activity.text ?? '';
      if (text === 'card') {
        await context.sendActivity(
          MessageFactory.attachment(
            CardFactory.adaptiveCard({
              type: 'AdaptiveCard',
              version: '1.5',
              body: [{ type: 'TextBlock', text: 'A card', wrap: true }],
              actions: [{ type: 'Action.Submit', title: 'Yes', data: { feedback: 'yes' } }],
            }),
          ),
        );
      } else if (context.activity.value !== undefined) {
        await context.sendActivity(`value ${JSON.stringify(context.activity.value)}`);
      } else {
        await context.sendActivity(`echo from ${context.activity.from.id}: ${text}`);
      }
      await next();
    });
  }
}

export function testConfig(env: Record<string, string> = {}): WebConfig {
  return webConfigSchema.parse(env);
}

export interface Running {
  url: string;
  bot: EchoBot;
  close(): Promise<void>;
}

/** Mounted the way the lead's server mounts it: security first, then the router. */
export async function startWeb(env: Record<string, string> = {}, extra: Partial<WebDeps> = {}): Promise<Running> {
  const bot = new EchoBot();
  const web = createWeb({ config: testConfig(env), clinicName: 'Test Clinic', topics: ['What eczema is'], legal: { phone: '+1 555 010 0100', retentionDays: 90 }, logger: silentLogger, inProcess: (store, account, logger) => new DirectLineAdapter(store, bot, account, logger), ...extra });
  const app = express();
  app.use(web.security);
  app.use(web.router);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bot,
    async close() {
      await web.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

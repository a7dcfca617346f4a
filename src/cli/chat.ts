import './explainStartupErrors.js';
import 'dotenv/config';
import { createInterface } from 'node:readline/promises';
import { join } from 'node:path';
import { loadCoreConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { loadCore } from '../core/loadCore.js';
import { openLowdbStore } from '../store/lowdb/index.js';
import { assembleBot } from '../bot/assemble.js';
import { turnErrorHandler } from '../bot/adapter.js';
import { varDir } from '../paths.js';
import { TerminalAdapter } from './terminalAdapter.js';

/**
 * `npm run chat`: the real bot (same content, model, triage, conversation and records) in the terminal.
 * It keeps its own database file (var/chat-db.json unless CHAT_DB_FILE is set) so it can run beside `npm start`.
 */
const config = loadCoreConfig();
const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, true);
const core = loadCore(config, logger);
const store = await openLowdbStore(process.env.CHAT_DB_FILE || join(varDir, 'chat-db.json'), logger);
const { bot } = assembleBot(core, store, logger);
const adapter = new TerminalAdapter((text) => console.log(`\nbot> ${text.replaceAll('\n', '\n     ')}\n`));
adapter.onTurnError = turnErrorHandler(logger);
const run = (context: Parameters<typeof bot.run>[0]) => bot.run(context);

await adapter.receive({ type: 'conversationUpdate', membersAdded: [{ id: 'patient', name: 'You' }] }, run);
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
console.log('(type a question, a number to press a choice, or "quit")');
rl.setPrompt('you> ');
rl.prompt();
for await (const line of rl) {
  if (/^\s*(quit|exit)\s*$/i.test(line)) break;
  if (line.trim() !== '') await adapter.receive({ type: 'message', text: line }, run);
  rl.prompt();
}
rl.close();
await store.close();

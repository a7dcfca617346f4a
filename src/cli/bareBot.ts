/**
 * The baseline of `npm run bench`: a bare botbuilder bot (CloudAdapter on Express, no state, no store) that
 * answers every message with one fixed text. Listens on PORT; local mode (no app id), like the bench's bot.
 */
import express from 'express';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity('Thank you for your question.');
  await next();
});
const app = express();
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});
app.post('/api/messages', express.json(), async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import 'dotenv/config';
import { ConfigError } from './config.js';
import { ContentError } from './content/errors.js';
import { DatabaseLockedError } from './store/database.js';
import { start } from './server/index.js';

/**
 * `npm start`. Configuration, content and database problems end start-up with one readable line and exit code 1;
 * SIGTERM/SIGINT stop gracefully.
 */
try {
  const server = await start();
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    console.error(JSON.stringify({ level: 'info', msg: `${signal} received, stopping` }));
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof ContentError || err instanceof DatabaseLockedError) {
    console.error(err.message);
  } else {
    console.error('The bot could not start:', err);
  }
  process.exit(1);
}

import 'dotenv/config';
import { start } from './server/index.js';
import { isExplainedStartupError } from './startupError.js';

/**
 * `npm start`. Configuration, content, database and port problems end start-up with one readable line and exit
 * code 1; SIGTERM/SIGINT stop gracefully.
 */
try {
  const server = await start();
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    // The server's own logger: same JSON shape (numeric level, time, service) as every other line on stdout.
    server.logger.info({ signal }, `${signal} received, stopping`);
    server.stop().then(
      () => process.exit(0),
      (err: Error) => {
        server.logger.error({ err: err.message }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  if (isExplainedStartupError(err)) {
    console.error(err.message);
  } else {
    console.error('The bot could not start:', err);
  }
  process.exit(1);
}

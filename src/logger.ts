import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout. Patient text never goes in a log line: log ids, intents and figures.
 * `LOG_LEVEL=silent` is what the tests use.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', toStderr = false): Logger {
  const options = { level, base: { service: 'eczema-faq-bot' }, timestamp: pino.stdTimeFunctions.isoTime };
  // CLIs whose stdout is their output (ask --json, eval --json) log to stderr instead.
  return toStderr ? pino(options, pino.destination(2)) : pino(options);
}

/** A logger that drops everything, for tests and CLIs that print their own output. */
export const silentLogger: Logger = pino({ level: 'silent' });

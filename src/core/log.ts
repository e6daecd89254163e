import { type Logger, pino } from 'pino';

/**
 * The process-wide structured logger (pino, JSON to stderr). Never log personal data: user ids are
 * hashed by callers before they reach a log line.
 */
export const logger: Logger = pino(
  { name: 'tailor', level: process.env.TAILOR_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info') },
  pino.destination(2),
);

/** A child logger for one component. */
export function componentLogger(component: string): Logger {
  return logger.child({ component });
}

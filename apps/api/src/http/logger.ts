import pino, { type Logger } from 'pino';

/**
 * Structured logs that never print keys, tokens, passwords or full addresses: pino's redaction removes them by path
 * wherever they appear in a logged object, and request logs carry only method, path, status and timing.
 */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'privateKey',
  '*.privateKey',
  'sign',
  '*.sign',
  'phone',
  '*.phone',
  'detail',
  '*.detail',
  'authCode',
  '*.authCode',
];

export function createLogger(level: string, name = 'api'): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };

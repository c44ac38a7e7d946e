import { pino } from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerConfig {
  /** Service name, on every line as `service`. */
  service: string;
  /** @default 'info' */
  level?: LoggerOptions['level'];
}

/**
 * Credentials never reach a log line, whichever object they hide in: request
 * headers as pino-http serialises them, upstream call headers, and our own
 * `headers` fields.
 */
const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-consumer-identity"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  '*.client_secret',
  '*.access_token',
  'client_secret',
  'access_token',
];

/** The root logger of a service. Tests pass a destination stream to read lines back. */
export function createLogger(config: LoggerConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

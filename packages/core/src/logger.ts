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
 * `headers` fields. Neither do the e-mail addresses and phone numbers the
 * graph guards with `crm:pii`: by path where the shape is known, by pattern
 * (`maskPii`) inside text that can carry them.
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
  'headers["x-consumer-identity"]',
  '*.client_secret',
  '*.access_token',
  'client_secret',
  'access_token',
  // The graph's scoped PII (crm:pii) wherever a line carries it as a field:
  // `{ email }`, GraphQL `variables.email`, a customer object.
  'email',
  'phone',
  'phoneNumber',
  '*.email',
  '*.phone',
  '*.phoneNumber',
];

/**
 * E-mail addresses, and phone numbers as upstreams and people write them:
 * international (`+44 20 7946 0958`, `+14155550123`) or North American
 * (`(415) 555-0123`, `415.555.0123`). Dates, ids and amounts do not match.
 */
const emailPattern = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
const phonePattern =
  /(?<![\w+])(?:\+\d[\d\s().-]{5,18}\d|(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4})(?![\w])/g;
/** A PII field inside JSON text: its whole value goes, whatever its format. */
const piiJsonPairPattern = /("(?:e-?mail|phone|phoneNumber|mobile|toAddress)"\s*:\s*)"[^"]*"/gi;

/**
 * The text with e-mail addresses and phone numbers replaced. For text we do
 * not know the shape of: an upstream's error body, an error message.
 */
export function maskPii(text: string): string {
  return text
    .replace(piiJsonPairPattern, '$1"[redacted]"')
    .replace(emailPattern, '[email]')
    .replace(phonePattern, '[phone]');
}

/** Every string inside `value` masked; depth-bounded, cycles cut. */
function maskPiiDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPii(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => maskPiiDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = maskPiiDeep(item, depth + 1);
  return out;
}

/**
 * Fields that can carry text from elsewhere, masked when a line has them,
 * and only then: the access lines and most others have none, so the
 * patterns cost nothing on the hot path. `body` is an upstream's or
 * subgraph's response (RestClient, SubgraphDataSource), `gateway` the
 * gateway's answer a BFF logs, `err` any error (messages, and an
 * UpstreamError's `detail.body`), `variables` a GraphQL request's.
 */
const serializers: LoggerOptions['serializers'] = {
  err: (error: unknown) => maskPiiDeep(pino.stdSerializers.err(error as Error)),
  body: maskPiiDeep,
  gateway: maskPiiDeep,
  variables: maskPiiDeep,
};

/**
 * The root logger of a service. Tests pass a destination stream to read lines
 * back. Otherwise lines go to stdout through a buffer written asynchronously
 * in blocks of 4 KiB, or every 250 ms when traffic is light (pino's
 * recommended high-throughput setup): one synchronous write per line cost
 * the gateway about 4% of its CPU under load. `flushLogs` writes out what is
 * buffered; `runMain` calls it before the process exits.
 */
export function createLogger(config: LoggerConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (destination) return pino(options, destination);
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 4_096 });
  // sonic-boom's flush waits for a write in flight by itself.
  setInterval(() => stdout.flush(), 250).unref();
  return pino(options, stdout);
}

/** Writes out buffered log lines; resolves within `timeoutMs` whatever happens. */
export function flushLogs(logger: Logger, timeoutMs = 1_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

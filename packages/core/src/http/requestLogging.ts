import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

import type { LevelWithSilent } from 'pino';

import { maskPii } from '../logger.js';
import type { Logger } from '../logger.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './requestId.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id: the caller's x-request-id if well-formed, or minted. */
    id: string;
    /** A child logger whose every line carries the request id. */
    log: Logger;
  }
}

/** Paths probed every few seconds by orchestrators and scrapers. */
const probePaths = new Set(['/health', '/ready', '/metrics']);

const started = new WeakMap<IncomingMessage, number>();
const extraFields = new WeakMap<ServerResponse, Record<string, unknown>>();

/**
 * Adds fields to the request's access-log line (the operation name, the
 * consumer, error codes...). Later calls add to earlier ones.
 */
export function addLogFields(res: ServerResponse, fields: Record<string, unknown>): void {
  // Several plugins add fields to every request: extend one object in place.
  const existing = extraFields.get(res);
  if (existing) Object.assign(existing, fields);
  else extraFields.set(res, { ...fields });
}

/**
 * Begins a request's logging: reads or mints its id, echoes it in
 * `x-request-id`, gives it `req.id` and a `req.log` child logger (made only
 * if used), and writes one access-log line when the response is done or the
 * client goes away. Calling it again for the same request does nothing, so
 * a node-level wrapper and express middleware can both be in place.
 *
 * It replaces pino-http, whose per-request child logger, serializer
 * wrapping and three listeners cost the gateway several percent of its CPU
 * on small operations.
 */
export function beginRequest(req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  if (started.has(req)) return;
  started.set(req, performance.now());
  const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  req.id = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  let child: Logger | undefined;
  Object.defineProperty(req, 'log', {
    configurable: true,
    enumerable: false,
    get: () => (child ??= logger.child({ requestId: id })),
  });
  res.once('close', () => writeAccessLine(req, res, logger));
}

/** `beginRequest` around a plain node:http listener. */
export function withRequestLogging(logger: Logger, listener: RequestListener): RequestListener {
  return (req, res) => {
    beginRequest(req, res, logger);
    listener(req, res);
  };
}

/**
 * The logger of access lines: the service's, without its redaction paths.
 * An access line's fields are ours and hold no credentials or PII (the URL's
 * query string, the one part a caller writes, is masked below), and path
 * redaction cost about 10 µs a line, the access line being one per request.
 * The PII masking of text fields (`formatters.log`) still applies.
 */
const accessLoggers = new WeakMap<Logger, Logger>();
function accessLoggerOf(logger: Logger): Logger {
  let access = accessLoggers.get(logger);
  if (!access) {
    access = logger.child({}, { redact: [] });
    accessLoggers.set(logger, access);
  }
  return access;
}

function writeAccessLine(req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  const path = pathOf(req.url);
  const completed = res.writableFinished;
  const level = levelOf(path, res.statusCode, completed);
  if (level === 'silent') return;
  const url = req.url ?? '';
  accessLoggerOf(logger)[level](
    {
      requestId: req.id,
      // A GET's query string can carry GraphQL variables, and so PII.
      req: { method: req.method, url: url.includes('?') ? maskedUrl(url) : url },
      // The route express matched ('/m/v1/orders/:id'): URLs with ids do not group.
      route: (req as { route?: { path?: unknown } }).route?.path,
      status: res.statusCode,
      durationMs: Math.round(performance.now() - (started.get(req) ?? 0)),
      ...extraFields.get(res),
    },
    completed ? 'request completed' : 'request aborted',
  );
}

/** The URL with its query string decoded (so `%40` is seen as `@`) and PII masked. */
function maskedUrl(url: string): string {
  let readable = url;
  try {
    readable = decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    // Malformed percent-encoding: mask what there is.
  }
  return maskPii(readable);
}

function levelOf(path: string, status: number, completed: boolean): LevelWithSilent {
  // Probes come every few seconds: log them only when they fail.
  if (probePaths.has(path)) return status < 400 && completed ? 'silent' : 'warn';
  if (status >= 500) return 'error';
  return completed ? 'info' : 'warn';
}

export function pathOf(url: string | undefined): string {
  const value = url ?? '';
  const q = value.indexOf('?');
  return q === -1 ? value : value.slice(0, q);
}

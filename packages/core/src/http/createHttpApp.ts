import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';

import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { beginRequestMetrics } from '../metrics/requestMetrics.js';
import { createServiceMetrics, metricsHandler } from '../metrics/serviceMetrics.js';
import type { ServiceMetrics } from '../metrics/serviceMetrics.js';
import { beginRequestSpan } from '../tracing/requestSpan.js';
import { noTracing } from '../tracing/Tracing.js';
import type { Tracing } from '../tracing/Tracing.js';
import { readinessHandler } from './readiness.js';
import type { ReadinessCheck } from './readiness.js';
import { addLogFields, beginRequest } from './requestLogging.js';

export interface HttpAppOptions {
  logger: Logger;
  /**
   * Dependencies `/ready` checks, by name. `/health` only says the process is
   * alive; `/ready` says whether it can serve.
   * @default {}
   */
  readiness?: Record<string, ReadinessCheck>;
  /**
   * The service's registry, served on `/metrics`. Services that add series of
   * their own (or serve routes outside express) create it and pass it in.
   * @default a registry of its own, named after the logger's `service`
   */
  metrics?: ServiceMetrics;
  /** A server span per request (tracing off: the caller's traceparent passed on). */
  tracing?: Tracing;
}

/**
 * The express app every service starts from: request id (read or minted,
 * echoed, and on every log line), one access-log line per request, request
 * metrics, `/health`, `/ready` and `/metrics`. The service mounts its own
 * routes, then calls `finishHttpApp` to add the 404 and error handlers.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const metrics = options.metrics ?? createServiceMetrics(serviceOf(options.logger));
  const tracing = options.tracing ?? noTracing;
  const app = express();
  app.disable('x-powered-by');
  // An ETag hashes every response body; these APIs are not cached by ETag.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use((req, res, next) => {
    beginRequest(req, res, options.logger);
    beginRequestSpan(req, res, tracing);
    beginRequestMetrics(req, res, metrics);
    next();
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', readinessHandler(options.readiness ?? {}));
  app.get('/metrics', metricsHandler(metrics));
  return app;
}

/** The `service` every line of the service's root logger carries (createLogger's `base`). */
function serviceOf(logger: Logger): string {
  const service = (logger.bindings() as { service?: unknown }).service;
  return typeof service === 'string' ? service : 'unknown';
}

/** Adds the JSON 404 and the error handler that never leaks a stack trace. */
export function finishHttpApp(app: Express): Express {
  app.use((req: Request, res: Response) => {
    sendHttpError(req, res, 404, ErrorCode.NOT_FOUND, `No route for ${req.method} ${req.path}`);
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOfExpressError(err);
    if (status >= 500) req.log.error({ err }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendHttpError(
      req,
      res,
      status,
      status === 413
        ? ErrorCode.PAYLOAD_TOO_LARGE
        : status >= 500
          ? ErrorCode.INTERNAL_SERVER_ERROR
          : ErrorCode.BAD_REQUEST,
      status >= 500 ? 'Internal server error' : err instanceof Error ? err.message : 'Bad request',
    );
  });
  return app;
}

/**
 * Every service's REST error body:
 * `{ "error": { code, message, status, details, request_id } }`, so that one
 * client-side handler reads them all and the request id finds the log lines.
 */
export function sendHttpError(
  req: Request,
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): void {
  addLogFields(res, { errorCodes: [code] });
  res.status(status).json({ error: { code, message, status, details, request_id: req.id } });
}

/** body-parser and friends set `status` on the errors they throw. */
function httpStatusOfExpressError(err: unknown): number {
  if (typeof err === 'object' && err !== null) {
    const status =
      (err as { status?: unknown; statusCode?: unknown }).status ??
      (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 600) return status;
  }
  return 500;
}

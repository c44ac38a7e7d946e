import type { IncomingMessage, ServerResponse } from 'node:http';

import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import type { LevelWithSilent } from 'pino';
import { pinoHttp } from 'pino-http';

import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './requestId.js';
import { readinessHandler } from './readiness.js';
import type { ReadinessCheck } from './readiness.js';

export interface HttpAppOptions {
  logger: Logger;
  /**
   * Dependencies `/ready` checks, by name. `/health` only says the process is
   * alive; `/ready` says whether it can serve.
   * @default {}
   */
  readiness?: Record<string, ReadinessCheck>;
}

/** Paths probed every few seconds by orchestrators and scrapers. */
const probePaths = new Set(['/health', '/ready', '/metrics']);

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The express app every service starts from: request id (read or minted,
 * echoed, and on every log line), one access-log line per request, `/health`
 * and `/ready`. The service mounts its own routes, then calls
 * `finishHttpApp` to add the 404 and error handlers.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use(
    pinoHttp<IncomingMessage, ServerResponse, never>({
      logger: options.logger,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      customAttributeKeys: { reqId: 'requestId' },
      // req.log carries only the request id; the request itself is logged once, at the end.
      quietReqLogger: true,
      // The serializers below read only plain fields of the raw objects; pino-http's
      // wrapping into its standard shapes first would be work thrown away.
      wrapSerializers: false,
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customProps: (_req: IncomingMessage, res: ServerResponse) =>
        (res as Response).locals?.logFields ?? {},
      // Probes come every few seconds: log them only when they fail.
      customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error): LevelWithSilent => {
        if (probePaths.has(pathOf(req))) {
          // A failing probe is news, not a crash: /ready already says why.
          return res.statusCode < 400 ? 'silent' : 'warn';
        }
        if (err || res.statusCode >= 500) return 'error';
        return 'info';
      },
      // pino-http invents an Error for every 5xx; a 503 from /ready is not one.
      customErrorObject: (req: IncomingMessage, _res: ServerResponse, err: Error, value: object) =>
        probePaths.has(pathOf(req)) && err.message.startsWith('failed with status code')
          ? { ...value, err: undefined }
          : value,
      customSuccessMessage: () => 'request completed',
      customErrorMessage: () => 'request failed',
    }),
  );

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', readinessHandler(options.readiness ?? {}));
  return app;
}

/** Adds the JSON 404 and the error handler that never leaks a stack trace. */
export function finishHttpApp(app: Express): Express {
  app.use((req: Request, res: Response) => {
    res.status(404).json({
      error: { code: ErrorCode.NOT_FOUND, message: `No route for ${req.method} ${req.path}` },
    });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOfExpressError(err);
    if (status >= 500) req.log.error({ err }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json({
      error: {
        code:
          status === 413
            ? ErrorCode.PAYLOAD_TOO_LARGE
            : status >= 500
              ? ErrorCode.INTERNAL_SERVER_ERROR
              : ErrorCode.BAD_REQUEST,
        message:
          status >= 500
            ? 'Internal server error'
            : err instanceof Error
              ? err.message
              : 'Bad request',
      },
    });
  });
  return app;
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

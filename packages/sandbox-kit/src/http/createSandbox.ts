import { timingSafeEqual } from 'node:crypto';

import { createHttpApp, devWebhookSecret, finishHttpApp } from '@bff/core';
import type { Logger } from '@bff/core';
import express from 'express';
import type { Express, Request, Response } from 'express';

import { CallLog } from '../admin/CallLog.js';
import { FaultInjector, faultSchema } from '../admin/FaultInjector.js';
import type { SandboxConfig } from '../config.js';
import { RequestCounter } from '../admin/RequestCounter.js';
import { TokenIssuer } from '../oauth/TokenIssuer.js';
import { tokenEndpoint } from '../oauth/tokenEndpoint.js';
import { WebhookSender } from '../webhooks/WebhookSender.js';
import { SandboxHttpError } from './SandboxHttpError.js';
import type { ErrorBodyFormat } from './SandboxHttpError.js';

export interface SandboxOptions {
  /** 'erp' | 'crm' | 'inventory', in logs. */
  system: string;
  logger: Logger;
  /** OAuth2 clients: client_id → secret. */
  clients: ReadonlyMap<string, string>;
  tokenTtlSeconds: number;
  /** Added to every API call. @default 0 */
  baseLatencyMs?: number;
  /** When set, /__admin needs it in `x-admin-key`. */
  adminKey?: string;
  errorBody: ErrorBodyFormat;
  /** Where its events go and the secret they are signed with. @default none, the dev secret */
  webhooks?: { urls: readonly string[]; secret: string };
}

export type RouteHandler = (req: Request, res: Response) => unknown;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Sandbox {
  readonly app: Express;
  readonly counter: RequestCounter;
  readonly faults: FaultInjector;
  readonly tokens: TokenIssuer;
  /** Sends the system's events to its subscribers. */
  readonly webhooks: WebhookSender;
  /** The `/__admin` router (admin key checked), for a system's own admin routes. */
  readonly admin: express.Router;
  /**
   * Adds an API route. It is counted, subject to injected faults, and (unless
   * `public`) needs a valid bearer token. A handler's return value is sent as
   * JSON; a thrown `SandboxHttpError` becomes this upstream's error body.
   */
  route(
    method: Method,
    pattern: string,
    handler: RouteHandler,
    options?: { public?: boolean },
  ): void;
  /** Adds the 404 and error handlers; call after the last route. */
  finish(): Express;
}

/** A sandbox from its environment: auth, latency and admin key as configured. */
export function createSandboxFromConfig(
  config: SandboxConfig,
  logger: Logger,
  spec: { system: string; errorBody: ErrorBodyFormat },
): Sandbox {
  return createSandbox({
    ...spec,
    logger,
    clients: config.SANDBOX_CLIENTS,
    tokenTtlSeconds: config.SANDBOX_TOKEN_TTL_SECONDS,
    baseLatencyMs: config.SANDBOX_LATENCY_MS,
    ...(config.SANDBOX_ADMIN_KEY ? { adminKey: config.SANDBOX_ADMIN_KEY } : {}),
    webhooks: { urls: config.SANDBOX_WEBHOOK_URLS, secret: config.SANDBOX_WEBHOOK_SECRET },
  });
}

/** The machinery every stand-in upstream shares: OAuth2, counters, faults, admin API. */
export function createSandbox(options: SandboxOptions): Sandbox {
  const app = createHttpApp({ logger: options.logger });
  const counter = new RequestCounter();
  const calls = new CallLog();
  const faults = new FaultInjector(options.baseLatencyMs ?? 0);
  const tokens = new TokenIssuer({ clients: options.clients, ttlSeconds: options.tokenTtlSeconds });
  const { errorBody } = options;
  const webhooks = new WebhookSender({
    urls: options.webhooks?.urls ?? [],
    secret: options.webhooks?.secret ?? devWebhookSecret,
    logger: options.logger.child({ component: 'webhooks' }),
  });
  const admin = adminRouter({
    counter,
    calls,
    faults,
    tokens,
    webhooks,
    adminKey: options.adminKey,
    errorBody,
  });

  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use('/__admin', admin);

  const route: Sandbox['route'] = (method, pattern, handler, routeOptions = {}) => {
    const name = `${method} ${pattern}`;
    const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    app[verb](pattern, async (req: Request, res: Response) => {
      counter.increment(name);
      const traceparent = req.headers.traceparent;
      const ended = calls.start(
        name,
        String(req.id),
        typeof traceparent === 'string' ? traceparent : undefined,
      );
      res.once('close', ended);
      const outcome = await faults.apply(name);
      if (outcome.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (outcome.kind === 'status') {
        if (outcome.retryAfterSeconds !== undefined) {
          res.setHeader('retry-after', String(outcome.retryAfterSeconds));
        }
        res
          .status(outcome.status)
          .json(
            errorBody(
              outcome.status,
              'injected_fault',
              'fault injected through the sandbox admin API',
            ),
          );
        return;
      }
      if (!routeOptions.public) {
        const check = tokens.check(req.headers.authorization);
        if (!check.ok) {
          res.setHeader(
            'www-authenticate',
            `Bearer error="invalid_token", error_description="${check.reason}"`,
          );
          res.status(401).json(errorBody(401, 'invalid_token', check.reason));
          return;
        }
      }
      try {
        const result = await handler(req, res);
        if (!res.headersSent && result !== undefined) res.json(result);
      } catch (error) {
        if (!(error instanceof SandboxHttpError)) throw error;
        res
          .status(error.status)
          .json(errorBody(error.status, error.code, error.message, error.details));
      }
    });
  };

  route('POST', '/oauth/token', tokenEndpoint(tokens), { public: true });

  return {
    app,
    counter,
    faults,
    tokens,
    webhooks,
    admin,
    route,
    finish: () => finishHttpApp(app),
  };
}

function adminRouter(deps: {
  counter: RequestCounter;
  calls: CallLog;
  faults: FaultInjector;
  tokens: TokenIssuer;
  webhooks: WebhookSender;
  adminKey: string | undefined;
  errorBody: ErrorBodyFormat;
}): express.Router {
  const router = express.Router();
  router.use((req, res, next) => {
    if (deps.adminKey === undefined) return next();
    const given = Buffer.from(String(req.headers['x-admin-key'] ?? ''));
    const expected = Buffer.from(deps.adminKey);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res
      .status(401)
      .json(deps.errorBody(401, 'admin_key_required', 'x-admin-key is missing or wrong'));
  });
  router.get('/counters', (_req, res) => {
    res.json(deps.counter.snapshot());
  });
  router.delete('/counters', (_req, res) => {
    deps.counter.reset();
    res.status(204).end();
  });
  router.get('/calls', (req, res) => {
    const requestId = typeof req.query.requestId === 'string' ? req.query.requestId : undefined;
    if (!requestId) {
      res.status(400).json(deps.errorBody(400, 'parameter_missing', 'give "requestId"'));
      return;
    }
    res.json({ calls: deps.calls.of(requestId) });
  });
  router.get('/faults', (_req, res) => {
    res.json(deps.faults.current());
  });
  router.put('/faults', (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ');
      res.status(400).json(deps.errorBody(400, 'invalid_fault', detail));
      return;
    }
    deps.faults.set(parsed.data);
    res.json(deps.faults.current());
  });
  router.delete('/faults', (_req, res) => {
    deps.faults.clear();
    res.status(204).end();
  });
  router.post('/tokens/expire', (_req, res) => {
    res.json({ expired: deps.tokens.expireAll() });
  });
  router.get('/webhooks', (_req, res) => {
    res.json({ urls: deps.webhooks.urls });
  });
  router.put('/webhooks', (req, res) => {
    const urls = (req.body as { urls?: unknown } | undefined)?.urls;
    const valid =
      Array.isArray(urls) &&
      urls.every((url) => typeof url === 'string' && URL.canParse(url) && /^https?:/.test(url));
    if (!valid) {
      res
        .status(400)
        .json(deps.errorBody(400, 'invalid_webhooks', 'give { "urls": [absolute http(s) URLs] }'));
      return;
    }
    deps.webhooks.setTargets(urls as string[]);
    res.json({ urls: deps.webhooks.urls });
  });
  return router;
}

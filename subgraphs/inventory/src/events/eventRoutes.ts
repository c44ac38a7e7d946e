import { timingSafeEqual } from 'node:crypto';

import { ErrorCode, sendHttpError, verifyWebhook } from '@bff/core';
import type { Logger } from '@bff/core';
import type { DeadLetterStore, SharedStore } from '@bff/shared-state';
import { withDeadline } from '@bff/shared-state';
import express from 'express';
import type { Express, Request, Response } from 'express';

import { STOCK_CHANGED_KIND } from './StockEventProcessor.js';
import type { StockChangedEvent, StockEventProcessor } from './StockEventProcessor.js';

export interface EventRoutesOptions {
  store: SharedStore;
  deadLetters: DeadLetterStore;
  processor: StockEventProcessor;
  logger: Logger;
  secret: string;
  toleranceSeconds: number;
  /** Bearer token of /admin/*; unset, those routes refuse every call. */
  adminToken: string | undefined;
}

/**
 * `POST /webhooks/inventory`: the inventory system's signed events, checked,
 * deduplicated by event id and answered 202 before they are applied (the
 * sender has a short timeout and retries what it thinks failed).
 * `/admin/dead-letters`: what could not be applied, for an operator to see
 * and replay.
 */
export function eventRoutes(app: Express, options: EventRoutesOptions): void {
  const dedup = new EventIdClaims(options.store, options.toleranceSeconds);
  const log = options.logger.child({ component: 'webhooks' });

  app.post(
    '/webhooks/inventory',
    // The signature covers the exact bytes sent: parsed JSON would not do.
    express.raw({ type: () => true, limit: '64kb' }),
    async (req: Request, res: Response) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verdict = verifyWebhook({
        secret: options.secret,
        headers: req.headers,
        body,
        toleranceSeconds: options.toleranceSeconds,
      });
      if (!verdict.ok) {
        req.log.warn({ reason: verdict.reason }, 'webhook refused');
        sendHttpError(req, res, 401, verdict.code, `Webhook refused: ${verdict.reason}.`);
        return;
      }
      const event = parseEvent(body, verdict.id);
      if (!event) {
        sendHttpError(
          req,
          res,
          400,
          ErrorCode.BAD_REQUEST,
          'The body is not an event: { id (= webhook-id), type, occurredAt, data }.',
        );
        return;
      }
      if (event.type !== 'stock.changed') {
        // Accepted so that the sender does not retry an event this service has no use for.
        res.status(202).json({ id: event.id, accepted: false, reason: 'type not handled' });
        return;
      }
      if (!(await dedup.claim(event.id, log))) {
        res.status(202).json({ id: event.id, accepted: false, reason: 'duplicate' });
        return;
      }
      options.processor.enqueue(event as StockChangedEvent);
      res.status(202).json({ id: event.id, accepted: true });
    },
  );

  const admin = express.Router();
  admin.use((req, res, next) => {
    if (adminAuthorized(req.headers.authorization, options.adminToken)) return next();
    res.setHeader('www-authenticate', 'Bearer');
    sendHttpError(
      req,
      res,
      401,
      ErrorCode.UNAUTHENTICATED,
      'The admin routes need `authorization: Bearer <ADMIN_TOKEN>`.',
    );
  });
  admin.get('/dead-letters', async (_req, res) => {
    const deadLetters = await options.deadLetters.list(STOCK_CHANGED_KIND);
    res.json({ deadLetters });
  });
  admin.post('/dead-letters/:id/replay', async (req, res) => {
    const letter = await options.deadLetters.get(String(req.params.id));
    if (!letter || letter.kind !== STOCK_CHANGED_KIND) {
      sendHttpError(req, res, 404, ErrorCode.NOT_FOUND, `No dead letter ${req.params.id}.`);
      return;
    }
    try {
      await options.processor.applyOnce(letter.payload as StockChangedEvent);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await options.deadLetters.add({ ...letter, error: reason, attempts: letter.attempts + 1 });
      sendHttpError(req, res, 503, ErrorCode.UPSTREAM_UNAVAILABLE, `Replay failed: ${reason}`);
      return;
    }
    await options.deadLetters.remove(letter.id);
    log.info({ webhookId: letter.id }, 'dead letter replayed');
    res.json({ id: letter.id, replayed: true });
  });
  app.use('/admin', admin);
}

function adminAuthorized(header: string | undefined, token: string | undefined): boolean {
  if (token === undefined || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseEvent(body: Buffer, id: string): { id: string; type: string } | undefined {
  let event: unknown;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  const { id: bodyId, type, data } = event as Record<string, unknown>;
  // The signed header and the body must name the same event, or dedup could be dodged.
  if (bodyId !== id || typeof type !== 'string') return undefined;
  if (type === 'stock.changed') {
    const itemCode = (data as { item_code?: unknown } | null)?.item_code;
    if (typeof itemCode !== 'string' || itemCode.length === 0) return undefined;
  }
  return event as { id: string; type: string };
}

/**
 * Event ids seen, in the shared store so every replica agrees, for twice the
 * tolerance window (an older delivery is refused by its timestamp anyway).
 * With Redis a claim is one SET NX, so two replicas given the same event at
 * once cannot both take it. A store that does not answer lets the event
 * through: applying a stock event twice only re-reads the source of truth.
 */
class EventIdClaims {
  private readonly inProcess = new Set<string>();
  private readonly ttlSeconds: number;

  constructor(
    private readonly store: SharedStore,
    toleranceSeconds: number,
  ) {
    this.ttlSeconds = toleranceSeconds * 2;
  }

  async claim(id: string, log: Logger): Promise<boolean> {
    const key = `${this.store.keyPrefix}webhook-dedup:${id}`;
    try {
      const redis = this.store.redis;
      if (redis) {
        const set = await withDeadline('webhook dedup', this.store.timeoutMs, () =>
          redis.set(key, '1', { NX: true, EX: this.ttlSeconds }),
        );
        return set === 'OK';
      }
      // In memory (one replica): the Set closes the gap between get and set.
      if (this.inProcess.has(id)) return false;
      this.inProcess.add(id);
      try {
        const seen = this.store.namespace('webhook-dedup');
        if ((await seen.get(id)) !== undefined) return false;
        await seen.set(id, '1', this.ttlSeconds);
        return true;
      } finally {
        this.inProcess.delete(id);
      }
    } catch (error) {
      log.warn({ err: error, webhookId: id }, 'webhook dedup unavailable; applying the event');
      return true;
    }
  }
}

import { ErrorCode, sendHttpError, verifyWebhook } from '@bff/core';
import express from 'express';
import type { Express, Request, Response } from 'express';

import type { BackgroundJobs } from './BackgroundJobs.js';
import { noEventsObserver } from './eventMetrics.js';
import type { EventsObserver } from './eventMetrics.js';
import type { EventIdClaims } from './EventIdClaims.js';

/** An upstream event as the sandboxes (and the Standard Webhooks payload convention) send it. */
export interface UpstreamEvent<D = Record<string, unknown>> {
  /** Equal to the signed `webhook-id` header. */
  id: string;
  type: string;
  occurredAt: string;
  data: D;
}

/**
 * For one event type: which entity it is about (its events are applied in
 * order), or undefined when `data` lacks what the handler needs.
 */
export type EntityKeyOf = (data: Record<string, unknown>) => string | undefined;

export interface WebhookIntakeOptions {
  /** Where the upstream posts its events: `/webhooks/erp`. */
  path: string;
  /** The event types this service applies; the job of type `t` is of kind `webhookJobKind(t)`. */
  types: Readonly<Record<string, EntityKeyOf>>;
  jobs: BackgroundJobs;
  claims: EventIdClaims;
  secret: string;
  toleranceSeconds: number;
  /** Webhooks answered, by type and outcome, for /metrics (eventsMetricsObserver). @default none */
  observer?: EventsObserver;
}

/** The background job (and dead letter) kind of an event type. */
export function webhookJobKind(type: string): string {
  return `webhook.${type}`;
}

/**
 * An upstream's signed events: verified (401 WEBHOOK_SIGNATURE_INVALID or
 * WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE), deduplicated by event id, and answered
 * 202 before they are applied in the background: senders time out quickly
 * and retry what they think failed, so the answer must not wait for an
 * upstream read.
 */
export function webhookIntake(app: Express, options: WebhookIntakeOptions): void {
  for (const type of Object.keys(options.types)) {
    if (!options.jobs.handles(webhookJobKind(type))) {
      throw new Error(`Webhook type ${type} has no ${webhookJobKind(type)} job handler`);
    }
  }
  const observer = options.observer ?? noEventsObserver;
  app.post(
    options.path,
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
        observer.webhook('unknown', 'refused');
        sendHttpError(req, res, 401, verdict.code, `Webhook refused: ${verdict.reason}.`);
        return;
      }
      const event = parseEvent(body, verdict.id);
      if (typeof event === 'string') {
        observer.webhook('unknown', 'malformed');
        sendHttpError(req, res, 400, ErrorCode.BAD_REQUEST, event);
        return;
      }
      const keyOf = Object.hasOwn(options.types, event.type)
        ? options.types[event.type]
        : undefined;
      if (!keyOf) {
        // Accepted, so that the sender does not retry an event this service has no use for.
        // (Counted as `other`: label values are this service's own types, never a sender's.)
        observer.webhook('other', 'ignored');
        res.status(202).json({ id: event.id, accepted: false, reason: 'type not handled' });
        return;
      }
      const key = keyOf(event.data);
      if (key === undefined) {
        observer.webhook(event.type, 'malformed');
        sendHttpError(
          req,
          res,
          400,
          ErrorCode.BAD_REQUEST,
          `A ${event.type} event's data lacks what identifies its entity.`,
        );
        return;
      }
      if (!(await options.claims.claim(event.id))) {
        observer.webhook(event.type, 'duplicate');
        res.status(202).json({ id: event.id, accepted: false, reason: 'duplicate' });
        return;
      }
      // Kept (in the journal with Redis) before the 202: the sender will not send it again.
      await options.jobs.enqueue({
        id: event.id,
        kind: webhookJobKind(event.type),
        payload: event,
        key,
      });
      observer.webhook(event.type, 'accepted');
      res.status(202).json({ id: event.id, accepted: true });
    },
  );
}

/** The event, or what is wrong with the body. */
function parseEvent(body: Buffer, signedId: string): UpstreamEvent | string {
  const shape = 'The body is not an event: { id (= webhook-id), type, occurredAt, data }.';
  let event: unknown;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch {
    return shape;
  }
  if (typeof event !== 'object' || event === null) return shape;
  const { id, type, occurredAt, data } = event as Record<string, unknown>;
  if (typeof type !== 'string' || typeof occurredAt !== 'string') return shape;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return shape;
  // The signed header and the body must name the same event, or dedup could be dodged.
  if (id !== signedId) return 'The body names another event than the webhook-id header.';
  return event as UpstreamEvent;
}

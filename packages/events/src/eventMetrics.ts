import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/** What the background jobs and the webhook intake report; a no-op without metrics. */
export interface EventsObserver {
  /** One attempt of a job ended. */
  attempt(kind: string, outcome: 'ok' | 'failed'): void;
  /** A job went to the dead letters (after its last attempt, or on shutdown). */
  deadLettered(kind: string): void;
  /** A webhook was answered: accepted, duplicate, ignored (type not handled), malformed or refused (signature or timestamp). */
  webhook(
    type: string,
    outcome: 'accepted' | 'duplicate' | 'ignored' | 'malformed' | 'refused',
  ): void;
}

export const noEventsObserver: EventsObserver = {
  attempt: () => undefined,
  deadLettered: () => undefined,
  webhook: () => undefined,
};

const observers = new WeakMap<Registry, EventsObserver>();

/**
 * The events series of a service's registry (one per registry):
 * `background_job_attempts_total{kind,outcome}`,
 * `background_jobs_dead_lettered_total{kind}` (alert on its increase: an
 * operator has work) and `webhook_events_total{type,outcome}`. Kinds and
 * types are the service's own (its handlers), never free text from a caller:
 * the intake reports a webhook of another type as `other`.
 */
export function eventsMetricsObserver(registry: Registry): EventsObserver {
  let observer = observers.get(registry);
  if (!observer) {
    observer = createObserver(registry);
    observers.set(registry, observer);
  }
  return observer;
}

function createObserver(registry: Registry): EventsObserver {
  const attempts = new Counter({
    name: 'background_job_attempts_total',
    help: 'Attempts of background jobs (applying an upstream event, recording a CRM activity…), by kind and outcome (ok, failed).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'background_jobs_dead_lettered_total',
    help: 'Background jobs moved to the dead letters after their last attempt (or on shutdown), by kind: each is work for an operator (/admin/dead-letters).',
    labelNames: ['kind'],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'webhook_events_total',
    help: 'Upstream webhooks answered, by event type (other for types this service does not handle, unknown before verification) and outcome.',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  return {
    attempt: (kind, outcome) => attempts.inc({ kind, outcome }),
    deadLettered: (kind) => deadLettered.inc({ kind }),
    webhook: (type, outcome) => webhooks.inc({ type, outcome }),
  };
}

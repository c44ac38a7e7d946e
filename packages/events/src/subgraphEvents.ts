import type { Logger } from '@bff/core';
import { createDeadLetterStore } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import type { Express } from 'express';
import type { Registry } from 'prom-client';

import { BackgroundJobs } from './BackgroundJobs.js';
import type { JobHandler } from './BackgroundJobs.js';
import { deadLetterAdmin } from './deadLetterAdmin.js';
import { eventsMetricsObserver } from './eventMetrics.js';
import { EventIdClaims } from './EventIdClaims.js';
import { jobJournalOf } from './JobJournal.js';
import { webhookIntake } from './webhookIntake.js';
import type { EntityKeyOf } from './webhookIntake.js';

/** The settings of `subgraphEventsEnvShape` this reads. */
export interface SubgraphEventsConfig {
  WEBHOOK_SECRET: string;
  WEBHOOK_TOLERANCE_SECONDS: number;
  JOB_MAX_ATTEMPTS: number;
  JOB_RETRY_BASE_MS: number;
  JOB_LEASE_SECONDS: number;
  ADMIN_TOKEN?: string | undefined;
}

export interface SubgraphEvents {
  /** The subgraph's background jobs: queue them, close them on stop. */
  readonly jobs: BackgroundJobs;
  /** Mounts the upstream's webhooks at `path` (its event types) and `/admin/dead-letters`. */
  routes(
    app: Express,
    webhooks: { path: string; types: Readonly<Record<string, EntityKeyOf>> },
  ): void;
}

/**
 * A subgraph's events and background work, wired the one way every subgraph
 * needs them: dead letters and webhook dedup in its shared store, a job
 * journal when that store is Redis, its series on its /metrics registry.
 */
export function subgraphEvents(options: {
  store: SharedStore;
  config: SubgraphEventsConfig;
  logger: Logger;
  /** The subgraph's /metrics registry. */
  registry: Registry;
  handlers: Readonly<Record<string, JobHandler<never>>>;
}): SubgraphEvents {
  const { store, config, logger } = options;
  const deadLetters = createDeadLetterStore(store);
  const observer = eventsMetricsObserver(options.registry);
  const jobs = new BackgroundJobs({
    handlers: options.handlers,
    deadLetters,
    logger,
    maxAttempts: config.JOB_MAX_ATTEMPTS,
    retryBaseMs: config.JOB_RETRY_BASE_MS,
    observer,
    ...jobJournalOf(store, config.JOB_LEASE_SECONDS),
  });
  return {
    jobs,
    routes(app, webhooks) {
      webhookIntake(app, {
        ...webhooks,
        jobs,
        // Kept twice the tolerance: an older delivery is refused by its timestamp anyway.
        claims: new EventIdClaims(store, config.WEBHOOK_TOLERANCE_SECONDS * 2, logger),
        secret: config.WEBHOOK_SECRET,
        toleranceSeconds: config.WEBHOOK_TOLERANCE_SECONDS,
        observer,
      });
      deadLetterAdmin(app, { adminToken: config.ADMIN_TOKEN, deadLetters, jobs });
    },
  };
}

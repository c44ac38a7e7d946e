import { devWebhookSecret, env } from '@bff/core';
import { z } from 'zod';

const redisUrlMessage = 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379';

/**
 * The environment of a subgraph that caches reference data, receives its
 * upstream's events and keeps dead letters: the shared store, the webhook
 * secret and retries, and the operator's admin token. Spread into the
 * subgraph's own schema, with `requireWebhookSecretInProduction` and
 * `withDevWebhookSecret` around it.
 */
export function subgraphEventsEnvShape(defaultKeyPrefix: string) {
  return {
    /** Caches, webhook dedup, idempotency keys and dead letters of every replica; in process memory when unset (one replica). */
    REDIS_URL: z
      .url({ error: redisUrlMessage })
      .refine((v) => /^rediss?:$/.test(new URL(v).protocol), { error: redisUrlMessage })
      .optional(),
    REDIS_KEY_PREFIX: z.string().default(defaultKeyPrefix),
    REDIS_TIMEOUT_MS: env.positiveInt(100),
    /** off: every query asks the upstream (tests of upstream behaviour, diagnosing a suspected stale cache). */
    REFERENCE_CACHE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    /** Verifies the upstream's webhooks (Standard Webhooks): its signing secret. */
    WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** How far a webhook's timestamp may be from now, either way, before it is refused. */
    WEBHOOK_TOLERANCE_SECONDS: env.positiveInt(300),
    /** Attempts of one background job (an event, a CRM activity) before it goes to the dead letters. */
    JOB_MAX_ATTEMPTS: env.positiveInt(5),
    /** Delay before a job's first retry; doubles per retry, with full jitter. */
    JOB_RETRY_BASE_MS: env.positiveInt(500),
    /** With Redis: how long a replica may go silent on a job before another takes it over (it renews before every attempt). */
    JOB_LEASE_SECONDS: env.positiveInt(60),
    /** Bearer token of /admin/* (dead letters); those routes refuse every call while it is unset. */
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  };
}

/** A superRefine step: the development secret is in this repository, so anyone could sign with it. */
export function requireWebhookSecretInProduction(
  config: { NODE_ENV?: string | undefined; WEBHOOK_SECRET?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (config.NODE_ENV === 'production' && config.WEBHOOK_SECRET === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_SECRET'],
      message: "is required when NODE_ENV=production (the sender's secret; the default is public)",
    });
  }
}

/** Outside production, the sandboxes' public development secret. */
export function withDevWebhookSecret<C extends { WEBHOOK_SECRET?: string | undefined }>(
  config: C,
): C & { WEBHOOK_SECRET: string } {
  return { ...config, WEBHOOK_SECRET: config.WEBHOOK_SECRET ?? devWebhookSecret };
}

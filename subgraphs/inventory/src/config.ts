import { env, parseConfig, subgraphEnvSchema } from '@bff/core';
import type { Config } from '@bff/core';
import { z } from 'zod';

export const envSchema = subgraphEnvSchema({
  port: 4103,
  devUpstream: {
    baseUrl: 'http://127.0.0.1:4203',
    clientId: 'inventory-subgraph',
    clientSecret: 'inventory-subgraph-dev-secret',
  },
});

/** Development only: the sandbox's default SANDBOX_WEBHOOK_SECRET, public in this repository. */
export const devWebhookSecret = 'dev-only-webhook-secret-0123456789abcdef';

const redisUrlMessage = 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379';

/**
 * What only the inventory subgraph reads: its caches of reference data, the
 * shared store they live in, the stock events it receives and the operator's
 * admin token.
 */
export const eventsEnvSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    /** Caches, webhook dedup and dead letters of every replica; in process memory when unset (one replica). */
    REDIS_URL: z
      .url({ error: redisUrlMessage })
      .refine((v) => /^rediss?:$/.test(new URL(v).protocol), { error: redisUrlMessage })
      .optional(),
    REDIS_KEY_PREFIX: z.string().default('bff:subgraph-inventory:'),
    REDIS_TIMEOUT_MS: env.positiveInt(100),
    /** off: every query asks the WMS (tests of upstream behaviour, diagnosing a suspected stale cache). */
    REFERENCE_CACHE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    /** Safety net only: stock events drop a cached entry as soon as it changes. */
    WAREHOUSES_CACHE_TTL_SECONDS: env.positiveInt(300),
    STOCK_CACHE_TTL_SECONDS: env.positiveInt(60),
    /** Verifies the inventory system's webhooks (Standard Webhooks); its signing secret. */
    WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** How far a webhook's timestamp may be from now, either way, before it is refused. */
    WEBHOOK_TOLERANCE_SECONDS: env.positiveInt(300),
    /** Processing attempts of one event before it goes to the dead letters. */
    WEBHOOK_MAX_ATTEMPTS: env.positiveInt(5),
    /** Delay before the first processing retry; doubles per retry, with full jitter. */
    WEBHOOK_RETRY_BASE_MS: env.positiveInt(500),
    /** Bearer token of /admin/* (dead letters); those routes refuse every call while it is unset. */
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((config, ctx) => {
    // The development secret is in this repository: anyone could sign stock events with it.
    if (config.NODE_ENV === 'production' && config.WEBHOOK_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET'],
        message:
          "is required when NODE_ENV=production (the sender's secret; the default is public)",
      });
    }
  })
  .transform(({ NODE_ENV: _, ...config }) => ({
    ...config,
    WEBHOOK_SECRET: config.WEBHOOK_SECRET ?? devWebhookSecret,
  }));

export type InventoryEventsConfig = Config<typeof eventsEnvSchema>;
export type InventorySubgraphConfig = Config<typeof envSchema> & InventoryEventsConfig;

export function loadConfig(env: Record<string, string | undefined>): InventorySubgraphConfig {
  // Two schemas (the shared subgraph one is a closed pipeline); a bad value
  // in either still stops the service with the variable's name.
  const events = parseConfig('subgraph-inventory', eventsEnvSchema, env);
  const base = parseConfig('subgraph-inventory', envSchema, env);
  return Object.freeze({ ...events, ...base });
}

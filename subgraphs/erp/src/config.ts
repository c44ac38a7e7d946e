import { z } from 'zod';

import { ConfigError, env, parseConfig, subgraphEnvSchema } from '@bff/core';
import type { Config, SubgraphConfig } from '@bff/core';

export const envSchema = subgraphEnvSchema({
  port: 4101,
  devUpstream: {
    baseUrl: 'http://127.0.0.1:4201',
    clientId: 'erp-subgraph',
    clientSecret: 'erp-subgraph-dev-secret',
  },
});

const redisUrl = z
  .url({ error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' })
  .refine((v) => /^rediss?:$/.test(new URL(v).protocol), {
    error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
  });

/**
 * What only the ERP subgraph needs, for placeOrder: the inventory and CRM
 * upstreams the saga calls besides its own, the shared store its idempotency
 * keys, dead letters and product cache live in, and the operator's admin token.
 */
export const sagaEnvSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    INVENTORY_BASE_URL: env.url().optional(),
    INVENTORY_CLIENT_ID: z.string().min(1).optional(),
    INVENTORY_CLIENT_SECRET: z.string().min(1).optional(),
    CRM_BASE_URL: env.url().optional(),
    CRM_CLIENT_ID: z.string().min(1).optional(),
    CRM_CLIENT_SECRET: z.string().min(1).optional(),
    /** Idempotency keys and dead letters of every replica; in process memory when unset (one replica). */
    REDIS_URL: redisUrl.optional(),
    REDIS_KEY_PREFIX: z.string().default('bff:subgraph-erp:'),
    REDIS_TIMEOUT_MS: env.positiveInt(100),
    /** off: every product query asks the ERP (tests of upstream behaviour, diagnosing a suspected stale cache). */
    REFERENCE_CACHE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    /** How long a product stays cached in the shared store; a safety net, product events drop it sooner. */
    PRODUCT_CACHE_TTL_SECONDS: env.positiveInt(300),
    /** Bearer token of /admin/* (dead letters); those routes refuse every call while it is unset. */
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    for (const name of [
      'INVENTORY_BASE_URL',
      'INVENTORY_CLIENT_ID',
      'INVENTORY_CLIENT_SECRET',
      'CRM_BASE_URL',
      'CRM_CLIENT_ID',
      'CRM_CLIENT_SECRET',
    ] as const) {
      if (config[name] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message:
            'is required when NODE_ENV=production (the sandbox default is for development only)',
        });
      }
    }
  })
  .transform(({ NODE_ENV: _, ...config }) => ({
    ...config,
    // The sandboxes accept one client each: in development the ERP subgraph
    // borrows the inventory and CRM subgraphs' dev clients.
    INVENTORY_BASE_URL: (config.INVENTORY_BASE_URL ?? 'http://127.0.0.1:4203').replace(/\/+$/, ''),
    INVENTORY_CLIENT_ID: config.INVENTORY_CLIENT_ID ?? 'inventory-subgraph',
    INVENTORY_CLIENT_SECRET: config.INVENTORY_CLIENT_SECRET ?? 'inventory-subgraph-dev-secret',
    CRM_BASE_URL: (config.CRM_BASE_URL ?? 'http://127.0.0.1:4202').replace(/\/+$/, ''),
    CRM_CLIENT_ID: config.CRM_CLIENT_ID ?? 'crm-subgraph',
    CRM_CLIENT_SECRET: config.CRM_CLIENT_SECRET ?? 'crm-subgraph-dev-secret',
  }));

export type ErpSubgraphConfig = Config<typeof envSchema> & Config<typeof sagaEnvSchema>;

export function loadConfig(env: Record<string, string | undefined>): ErpSubgraphConfig {
  // Two schemas (the shared subgraph one is a closed pipeline), but one throw
  // naming every bad variable of both, as every other service does.
  const problems: string[] = [];
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const base = attempt(() => parseConfig('subgraph-erp', envSchema, env));
  const saga = attempt(() => parseConfig('subgraph-erp', sagaEnvSchema, env));
  if (!base || !saga) throw new ConfigError('subgraph-erp', problems);
  return Object.freeze({ ...saga, ...base });
}

/** The config createUpstreamClient reads, pointed at another upstream with its own client. */
export function upstreamConfig(
  config: ErpSubgraphConfig,
  upstream: 'inventory' | 'crm',
): SubgraphConfig {
  const [baseUrl, clientId, clientSecret] =
    upstream === 'inventory'
      ? [config.INVENTORY_BASE_URL, config.INVENTORY_CLIENT_ID, config.INVENTORY_CLIENT_SECRET]
      : [config.CRM_BASE_URL, config.CRM_CLIENT_ID, config.CRM_CLIENT_SECRET];
  // The ERP's OAuth scope means nothing to the other upstreams.
  const rest = Object.fromEntries(
    Object.entries(config).filter(([name]) => name !== 'UPSTREAM_SCOPE'),
  ) as SubgraphConfig;
  return {
    ...rest,
    UPSTREAM_BASE_URL: baseUrl,
    UPSTREAM_TOKEN_URL: `${baseUrl}/oauth/token`,
    UPSTREAM_CLIENT_ID: clientId,
    UPSTREAM_CLIENT_SECRET: clientSecret,
  };
}

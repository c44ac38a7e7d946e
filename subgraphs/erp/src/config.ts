import { z } from 'zod';

import { ConfigError, env, parseConfig, subgraphEnvSchema } from '@bff/core';
import type { Config, SubgraphConfig } from '@bff/core';
import {
  requireWebhookSecretInProduction,
  subgraphEventsEnvShape,
  withDevWebhookSecret,
} from '@bff/events';

export const envSchema = subgraphEnvSchema({
  port: 4101,
  devUpstream: {
    baseUrl: 'http://127.0.0.1:4201',
    clientId: 'erp-subgraph',
    clientSecret: 'erp-subgraph-dev-secret',
  },
});

/**
 * What only the ERP subgraph needs: the inventory and CRM upstreams
 * placeOrder calls besides its own; the shared store its idempotency keys,
 * dead letters and product cache live in; the ERP's events (webhooks); and
 * the operator's admin token.
 */
export const ordersAndEventsEnvSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    INVENTORY_BASE_URL: env.url().optional(),
    INVENTORY_CLIENT_ID: z.string().min(1).optional(),
    INVENTORY_CLIENT_SECRET: z.string().min(1).optional(),
    CRM_BASE_URL: env.url().optional(),
    CRM_CLIENT_ID: z.string().min(1).optional(),
    CRM_CLIENT_SECRET: z.string().min(1).optional(),
    ...subgraphEventsEnvShape('bff:subgraph-erp:'),
    /** How long a product stays cached in the shared store; a safety net, product events drop it sooner. */
    PRODUCT_CACHE_TTL_SECONDS: env.positiveInt(300),
  })
  .superRefine((config, ctx) => {
    requireWebhookSecretInProduction(config, ctx);
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
    ...withDevWebhookSecret(config),
    // The sandboxes accept one client each: in development the ERP subgraph
    // borrows the inventory and CRM subgraphs' dev clients.
    INVENTORY_BASE_URL: (config.INVENTORY_BASE_URL ?? 'http://127.0.0.1:4203').replace(/\/+$/, ''),
    INVENTORY_CLIENT_ID: config.INVENTORY_CLIENT_ID ?? 'inventory-subgraph',
    INVENTORY_CLIENT_SECRET: config.INVENTORY_CLIENT_SECRET ?? 'inventory-subgraph-dev-secret',
    CRM_BASE_URL: (config.CRM_BASE_URL ?? 'http://127.0.0.1:4202').replace(/\/+$/, ''),
    CRM_CLIENT_ID: config.CRM_CLIENT_ID ?? 'crm-subgraph',
    CRM_CLIENT_SECRET: config.CRM_CLIENT_SECRET ?? 'crm-subgraph-dev-secret',
  }));

export type ErpSubgraphConfig = Config<typeof envSchema> & Config<typeof ordersAndEventsEnvSchema>;

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
  const own = attempt(() => parseConfig('subgraph-erp', ordersAndEventsEnvSchema, env));
  if (!base || !own) throw new ConfigError('subgraph-erp', problems);
  return Object.freeze({ ...own, ...base });
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

import { env, parseConfig, subgraphEnvSchema } from '@bff/core';
import type { Config } from '@bff/core';
import {
  requireWebhookSecretInProduction,
  subgraphEventsEnvShape,
  withDevWebhookSecret,
} from '@bff/events';
import { z } from 'zod';

export const envSchema = subgraphEnvSchema({
  port: 4103,
  devUpstream: {
    baseUrl: 'http://127.0.0.1:4203',
    clientId: 'inventory-subgraph',
    clientSecret: 'inventory-subgraph-dev-secret',
  },
});

/**
 * What only the inventory subgraph reads: its caches of reference data, the
 * shared store they live in, the stock events it receives and the operator's
 * admin token.
 */
export const eventsEnvSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    ...subgraphEventsEnvShape('bff:subgraph-inventory:'),
    /** Safety net only: stock events drop a cached entry as soon as it changes. */
    WAREHOUSES_CACHE_TTL_SECONDS: env.positiveInt(300),
    STOCK_CACHE_TTL_SECONDS: env.positiveInt(60),
  })
  .superRefine(requireWebhookSecretInProduction)
  .transform(({ NODE_ENV: _, ...config }) => withDevWebhookSecret(config));

export type InventoryEventsConfig = Config<typeof eventsEnvSchema>;
export type InventorySubgraphConfig = Config<typeof envSchema> & InventoryEventsConfig;

export function loadConfig(env: Record<string, string | undefined>): InventorySubgraphConfig {
  // Two schemas (the shared subgraph one is a closed pipeline); a bad value
  // in either still stops the service with the variable's name.
  const events = parseConfig('subgraph-inventory', eventsEnvSchema, env);
  const base = parseConfig('subgraph-inventory', envSchema, env);
  return Object.freeze({ ...events, ...base });
}

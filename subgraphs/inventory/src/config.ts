import { parseConfig, subgraphEnvSchema } from '@bff/core';
import type { Config } from '@bff/core';

export const envSchema = subgraphEnvSchema({
  port: 4103,
  devUpstream: {
    baseUrl: 'http://127.0.0.1:4203',
    clientId: 'inventory-subgraph',
    clientSecret: 'inventory-subgraph-dev-secret',
  },
});

export type InventorySubgraphConfig = Config<typeof envSchema>;

export function loadConfig(env: Record<string, string | undefined>): InventorySubgraphConfig {
  return parseConfig('subgraph-inventory', envSchema, env);
}

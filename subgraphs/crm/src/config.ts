import { parseConfig, subgraphEnvSchema } from '@bff/core';
import type { Config } from '@bff/core';

export const envSchema = subgraphEnvSchema({
  port: 4102,
  devUpstream: {
    baseUrl: 'http://127.0.0.1:4202',
    clientId: 'crm-subgraph',
    clientSecret: 'crm-subgraph-dev-secret',
  },
});

export type CrmSubgraphConfig = Config<typeof envSchema>;

export function loadConfig(env: Record<string, string | undefined>): CrmSubgraphConfig {
  return parseConfig('subgraph-crm', envSchema, env);
}

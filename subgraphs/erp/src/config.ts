import { parseConfig, subgraphEnvSchema } from '@bff/core';
import type { Config } from '@bff/core';

export const envSchema = subgraphEnvSchema({
  port: 4101,
  devUpstream: {
    baseUrl: 'http://127.0.0.1:4201',
    clientId: 'erp-subgraph',
    clientSecret: 'erp-subgraph-dev-secret',
  },
});

export type ErpSubgraphConfig = Config<typeof envSchema>;

export function loadConfig(env: Record<string, string | undefined>): ErpSubgraphConfig {
  return parseConfig('subgraph-erp', envSchema, env);
}

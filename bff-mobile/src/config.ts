import { createRequire } from 'node:module';

import { env, parseConfig, serviceEnvShape } from '@bff/core';
import type { Config } from '@bff/core';
import { z } from 'zod';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export const envSchema = z.object({
  ...serviceEnvShape(4002),
  /** The gateway's /graphql URL; its /health is what /ready probes. */
  GATEWAY_URL: env.url().default('http://127.0.0.1:4000/graphql'),
  /** Deadline of one gateway request, answered 503 UPSTREAM_TIMEOUT when passed. */
  GATEWAY_TIMEOUT_MS: env.positiveInt(5_000),
  /** Keep-alive connections to the gateway. */
  GATEWAY_MAX_CONNECTIONS: env.positiveInt(64),
  /** Sent as apollographql-client-name: the gateway looks up this client's trusted documents. */
  CLIENT_NAME: z.string().min(1).default('bff-mobile'),
  /** Sent as apollographql-client-version. */
  CLIENT_VERSION: z.string().min(1).default(version),
});

export type MobileConfig = Config<typeof envSchema>;

export function loadConfig(environment: Record<string, string | undefined>): MobileConfig {
  return parseConfig('bff-mobile', envSchema, environment);
}

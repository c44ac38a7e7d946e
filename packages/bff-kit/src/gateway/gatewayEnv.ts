import { env } from '@bff/core';
import type { Tracing } from '@bff/core';
import { z } from 'zod';

import { GatewayClient } from './GatewayClient.js';

/** The variables every BFF reads to reach the gateway, with its own client name. */
export function gatewayEnvShape(clientName: string, clientVersion: string) {
  return {
    /** The gateway's /graphql URL; its /health is what /ready probes. */
    GATEWAY_URL: env.url().default('http://127.0.0.1:4000/graphql'),
    /** Deadline of one gateway request, answered 503 UPSTREAM_TIMEOUT when passed. */
    GATEWAY_TIMEOUT_MS: env.positiveInt(5_000),
    /** Keep-alive connections to the gateway. */
    GATEWAY_MAX_CONNECTIONS: env.positiveInt(64),
    /** Sent as apollographql-client-name: the gateway looks up this client's trusted documents. */
    CLIENT_NAME: z.string().min(1).default(clientName),
    /** Sent as apollographql-client-version. */
    CLIENT_VERSION: z.string().min(1).default(clientVersion),
  };
}

export interface GatewayEnv {
  readonly GATEWAY_URL: string;
  readonly GATEWAY_TIMEOUT_MS: number;
  readonly GATEWAY_MAX_CONNECTIONS: number;
  readonly CLIENT_NAME: string;
  readonly CLIENT_VERSION: string;
}

/** The BFF's one pool to the gateway, as its configuration says. */
export function gatewayClientOf(config: GatewayEnv, tracing?: Tracing): GatewayClient {
  return new GatewayClient({
    url: config.GATEWAY_URL,
    clientName: config.CLIENT_NAME,
    clientVersion: config.CLIENT_VERSION,
    timeoutMs: config.GATEWAY_TIMEOUT_MS,
    maxConnections: config.GATEWAY_MAX_CONNECTIONS,
    ...(tracing ? { tracing } : {}),
  });
}

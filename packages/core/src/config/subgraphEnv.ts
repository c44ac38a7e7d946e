import { z } from 'zod';

import { env, serviceEnvShape } from './envSchema.js';

export interface SubgraphEnvDefaults {
  port: number;
  /** The embedded sandbox and its dev client: used outside production only. */
  devUpstream: { baseUrl: string; clientId: string; clientSecret: string };
}

/**
 * A subgraph's environment. Each subgraph is its own deployment with its own
 * upstream, so the variables are the same in all three (`UPSTREAM_*`), as
 * `PORT` is. In production the upstream's URL and credentials must be given:
 * the sandbox defaults would otherwise point a live service at nothing.
 */
export function subgraphEnvSchema(defaults: SubgraphEnvDefaults) {
  return z
    .object({
      ...serviceEnvShape(defaults.port),
      UPSTREAM_BASE_URL: env.url().optional(),
      /** @default `${UPSTREAM_BASE_URL}/oauth/token` */
      UPSTREAM_TOKEN_URL: env.url().optional(),
      UPSTREAM_CLIENT_ID: z.string().min(1).optional(),
      UPSTREAM_CLIENT_SECRET: z.string().min(1).optional(),
      UPSTREAM_SCOPE: z.string().min(1).optional(),
      /**
       * Deadline of one upstream call, retries and waiting included; keep it
       * below the gateway's subgraph timeout.
       */
      UPSTREAM_TIMEOUT_MS: env.positiveInt(3_000),
      UPSTREAM_MAX_CONNECTIONS: env.positiveInt(64),
      /** Retries of an idempotent call after its first attempt (0 turns retries off). */
      UPSTREAM_RETRIES: env.nonNegativeInt(2).pipe(z.number().max(10, 'must be 10 or fewer')),
      /** Ceiling of the first retry's full-jitter delay; doubles per retry. */
      UPSTREAM_RETRY_BASE_MS: env.positiveInt(50),
      /** No backoff delay above this (an upstream's Retry-After is not capped by it). */
      UPSTREAM_RETRY_MAX_DELAY_MS: env.positiveInt(1_000),
      /** Failures (no answer, timeout, 5xx) within the window that open the circuit. */
      UPSTREAM_BREAKER_FAILURES: env.positiveInt(5),
      UPSTREAM_BREAKER_WINDOW_MS: env.positiveInt(60_000),
      /** How long an open circuit fails fast before one trial call. */
      UPSTREAM_BREAKER_OPEN_MS: env.positiveInt(30_000),
      /**
       * Calls in flight to the upstream at once; the rest wait within their
       * deadline. As many as the pool's connections: a lower cap queued calls
       * the pool could have sent, and cost a 100-connection benchmark a third
       * of its throughput.
       */
      UPSTREAM_MAX_IN_FLIGHT: env.positiveInt(64),
      /**
       * Calls that may wait for one of those slots; beyond it a call fails at
       * once. Waiting is bounded by each call's deadline anyway: this only
       * caps the memory a flood can take.
       */
      UPSTREAM_MAX_QUEUED: env.nonNegativeInt(1_024),
      /** Path `/ready` probes on the upstream, without credentials. */
      UPSTREAM_HEALTH_PATH: z.string().startsWith('/', 'must start with /').default('/health'),
      /** Verifies the consumer the gateway forwards (x-consumer-identity); the gateway's value. */
      INTERNAL_IDENTITY_SECRET: internalIdentitySecret(),
    })
    .superRefine(
      (config, ctx) => {
        const { UPSTREAM_RETRY_BASE_MS: base, UPSTREAM_RETRY_MAX_DELAY_MS: max } = config;
        // Either may be invalid here (this runs whatever else failed), so check the types.
        if (typeof base === 'number' && typeof max === 'number' && max < base) {
          ctx.addIssue({
            code: 'custom',
            path: ['UPSTREAM_RETRY_MAX_DELAY_MS'],
            message: 'must be at least UPSTREAM_RETRY_BASE_MS',
          });
        }
        if (config.NODE_ENV !== 'production') return;
        for (const name of [
          'UPSTREAM_BASE_URL',
          'UPSTREAM_CLIENT_ID',
          'UPSTREAM_CLIENT_SECRET',
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
        // The development secret is in this repository: anyone could sign with it.
        if (config.INTERNAL_IDENTITY_SECRET === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['INTERNAL_IDENTITY_SECRET'],
            message:
              "is required when NODE_ENV=production (the gateway's secret; the default is public)",
          });
        }
      },
      // Run even when another variable is already invalid, so that every
      // problem is reported in one throw (zod skips refinements otherwise).
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    )
    .transform((config) => {
      const baseUrl = (config.UPSTREAM_BASE_URL ?? defaults.devUpstream.baseUrl).replace(
        /\/+$/,
        '',
      );
      return {
        ...config,
        UPSTREAM_BASE_URL: baseUrl,
        UPSTREAM_TOKEN_URL: config.UPSTREAM_TOKEN_URL ?? `${baseUrl}/oauth/token`,
        UPSTREAM_CLIENT_ID: config.UPSTREAM_CLIENT_ID ?? defaults.devUpstream.clientId,
        UPSTREAM_CLIENT_SECRET: config.UPSTREAM_CLIENT_SECRET ?? defaults.devUpstream.clientSecret,
        INTERNAL_IDENTITY_SECRET: config.INTERNAL_IDENTITY_SECRET ?? devInternalIdentitySecret,
      };
    });
}

/** Development only: production must set its own, the same at the gateway and every subgraph. */
export const devInternalIdentitySecret = 'dev-only-internal-identity-secret-0123456789';

/** The secret the gateway signs forwarded identities with; 32 characters or more. */
export function internalIdentitySecret() {
  return z.string().min(32, 'must be at least 32 characters').optional();
}

export type SubgraphConfig = z.output<ReturnType<typeof subgraphEnvSchema>>;

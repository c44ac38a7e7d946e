import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

import { gatewayEnvShape } from '@bff/bff-kit';
import { ConfigError, env, parseConfig, serviceEnvShape } from '@bff/core';
import type { Config } from '@bff/core';
import { z } from 'zod';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Optional boolean whose default depends on NODE_ENV (see loadConfig). */
const optionalBoolean = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: 'must be one of true, false, 1, 0, yes, no',
    })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional();

export const envSchema = z.object({
  ...serviceEnvShape(4001),
  ...gatewayEnvShape('bff-web', version),
  /**
   * apollographql-client-name of the operations the web app writes itself
   * and sends through `/graphql`: the gateway judges them as the web app's,
   * not as bff-web's registered screens.
   */
  WEB_CLIENT_NAME: z.string().min(1).default('web'),
  /**
   * Keys that sign the session cookie, comma-separated, newest first: the
   * first signs, all verify, so a key can be rotated without signing
   * everyone out. Each at least 32 characters. Required in production;
   * elsewhere a random key per process.
   */
  SESSION_SECRETS: env
    .list()
    .refine((keys) => keys.length > 0 && keys.every((key) => key.length >= 32), {
      error: 'must be one or more comma-separated keys of at least 32 characters each',
    })
    .optional(),
  /** A session ends at its token's expiry, and at the latest after this long. */
  SESSION_MAX_AGE_SECONDS: env.positiveInt(8 * 60 * 60),
  /** The cookie's Secure attribute; unset means on everywhere but NODE_ENV=development. */
  SESSION_COOKIE_SECURE: optionalBoolean(),
  /**
   * Believe X-Forwarded-Proto/-For from the proxy in front (TLS terminated
   * there): needed for a Secure cookie behind it.
   */
  TRUST_PROXY: env.boolean(false),
  /** Sessions live here when set (every replica sees every session); in process memory otherwise. */
  REDIS_URL: z
    .url({ error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' })
    .refine((v) => /^rediss?:$/.test(new URL(v).protocol), {
      error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
    })
    .optional(),
  /** Put before every key bff-web writes. */
  REDIS_KEY_PREFIX: z.string().default('bff:web:'),
  /** How long a session-store call may take before the request is answered 503. */
  REDIS_TIMEOUT_MS: env.positiveInt(100),
  /** The GraphQL explorer at GET /graphql; unset means on outside production. */
  EXPLORER: optionalBoolean(),
  /** Largest `/graphql` request body passed on. */
  GRAPHQL_MAX_BODY_BYTES: env.positiveInt(100_000),
});

export type WebConfig = Omit<
  Config<typeof envSchema>,
  'SESSION_SECRETS' | 'SESSION_COOKIE_SECURE' | 'EXPLORER'
> & {
  readonly SESSION_SECRETS: readonly string[];
  readonly SESSION_COOKIE_SECURE: boolean;
  readonly EXPLORER: boolean;
};

export function loadConfig(environment: Record<string, string | undefined>): WebConfig {
  const config = parseConfig('bff-web', envSchema, environment);
  const production = config.NODE_ENV === 'production';
  const problems: string[] = [];
  if (production && !config.SESSION_SECRETS)
    problems.push('SESSION_SECRETS: is required when NODE_ENV=production');
  if (production && config.SESSION_COOKIE_SECURE === false)
    problems.push('SESSION_COOKIE_SECURE: cannot be false when NODE_ENV=production');
  if (problems.length > 0) throw new ConfigError('bff-web', problems);
  return Object.freeze({
    ...config,
    // Sessions signed with a per-process key end when the process does:
    // acceptable in development, which is why production must name its keys.
    SESSION_SECRETS: config.SESSION_SECRETS ?? [randomBytes(32).toString('base64url')],
    SESSION_COOKIE_SECURE: config.SESSION_COOKIE_SECURE ?? config.NODE_ENV !== 'development',
    EXPLORER: config.EXPLORER ?? !production,
  });
}

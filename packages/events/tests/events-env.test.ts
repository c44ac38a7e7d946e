import { ConfigError, devWebhookSecret, parseConfig } from '@bff/core';
import {
  requireWebhookSecretInProduction,
  subgraphEventsEnvShape,
  withDevWebhookSecret,
} from '@bff/events';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// The environment every event-receiving subgraph spreads into its own schema.
const schema = z
  .object({ NODE_ENV: z.string().optional(), ...subgraphEventsEnvShape('bff:test:') })
  .superRefine(requireWebhookSecretInProduction)
  .transform(({ NODE_ENV: _, ...config }) => withDevWebhookSecret(config));

function problemsOf(environment: Record<string, string>): readonly string[] {
  try {
    parseConfig('subgraph-test', schema, environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('subgraphEventsEnvShape', () => {
  it('defaults to the memory store, the public development secret and five attempts from 500 ms', () => {
    expect(parseConfig('subgraph-test', schema, {})).toStrictEqual({
      REDIS_KEY_PREFIX: 'bff:test:',
      REDIS_TIMEOUT_MS: 100,
      REFERENCE_CACHE: 'on',
      WEBHOOK_SECRET: devWebhookSecret,
      WEBHOOK_TOLERANCE_SECONDS: 300,
      JOB_MAX_ATTEMPTS: 5,
      JOB_RETRY_BASE_MS: 500,
      JOB_LEASE_SECONDS: 60,
    });
  });

  it('refuses to start in production without a webhook secret of its own', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      "WEBHOOK_SECRET: is required when NODE_ENV=production (the sender's secret; the default is public)",
    ]);
    const secret = 's'.repeat(32);
    const config = parseConfig('subgraph-test', schema, {
      NODE_ENV: 'production',
      WEBHOOK_SECRET: secret,
    });
    expect(config.WEBHOOK_SECRET).toBe(secret);
  });

  it('names every bad value in one error, echoing none of the secrets', () => {
    expect(
      problemsOf({
        REDIS_URL: 'http://127.0.0.1:6379',
        WEBHOOK_SECRET: 'short',
        JOB_MAX_ATTEMPTS: '0',
        REFERENCE_CACHE: 'maybe',
        ADMIN_TOKEN: 'tiny',
      }),
    ).toEqual([
      'REDIS_URL: must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 (got "http://127.0.0.1:6379")',
      'REFERENCE_CACHE: must be on or off (got "maybe")',
      'WEBHOOK_SECRET: must be at least 32 characters',
      'JOB_MAX_ATTEMPTS: must be greater than zero (got "0")',
      'ADMIN_TOKEN: must be at least 16 characters',
    ]);
  });
});

import { describe, expect, it } from 'vitest';

import { ConfigError, parseConfig } from '../src/config/parseConfig.js';
import { devInternalIdentitySecret, subgraphEnvSchema } from '../src/config/subgraphEnv.js';

const schema = subgraphEnvSchema({
  port: 4101,
  devUpstream: {
    baseUrl: 'http://127.0.0.1:4201/',
    clientId: 'dev-client',
    clientSecret: 'dev-secret',
  },
});

const requiredInProduction = ['UPSTREAM_BASE_URL', 'UPSTREAM_CLIENT_ID', 'UPSTREAM_CLIENT_SECRET'];

function problemsOf(environment: Record<string, string | undefined>): readonly string[] {
  try {
    parseConfig('erp-subgraph', schema, environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('subgraphEnvSchema', () => {
  it('uses the sandbox upstream and dev credentials outside production', () => {
    expect(parseConfig('erp-subgraph', schema, {})).toStrictEqual({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 4101,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: 10_000,
      UPSTREAM_BASE_URL: 'http://127.0.0.1:4201',
      UPSTREAM_TOKEN_URL: 'http://127.0.0.1:4201/oauth/token',
      UPSTREAM_CLIENT_ID: 'dev-client',
      UPSTREAM_CLIENT_SECRET: 'dev-secret',
      UPSTREAM_TIMEOUT_MS: 3_000,
      UPSTREAM_MAX_CONNECTIONS: 64,
      UPSTREAM_RETRIES: 2,
      UPSTREAM_RETRY_BASE_MS: 50,
      UPSTREAM_RETRY_MAX_DELAY_MS: 1_000,
      UPSTREAM_BREAKER_FAILURES: 5,
      UPSTREAM_BREAKER_WINDOW_MS: 60_000,
      UPSTREAM_BREAKER_OPEN_MS: 30_000,
      UPSTREAM_MAX_IN_FLIGHT: 64,
      UPSTREAM_MAX_QUEUED: 1_024,
      UPSTREAM_HEALTH_PATH: '/health',
      INTERNAL_IDENTITY_SECRET: devInternalIdentitySecret,
    });
  });

  it('does not require upstream variables in test either', () => {
    const config = parseConfig('erp-subgraph', schema, { NODE_ENV: 'test' });
    expect(config.UPSTREAM_CLIENT_ID).toBe('dev-client');
  });

  it('in production names each missing upstream variable, and the identity secret, in one error', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toHaveLength(4);
    requiredInProduction.forEach((name, i) => {
      expect(problems[i]).toBe(
        `${name}: is required when NODE_ENV=production (the sandbox default is for development only)`,
      );
    });
    expect(problems[3]).toBe(
      "INTERNAL_IDENTITY_SECRET: is required when NODE_ENV=production (the gateway's secret; the default is public)",
    );
  });

  it('in production treats an empty value as missing', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      INTERNAL_IDENTITY_SECRET: 's'.repeat(32),
      UPSTREAM_BASE_URL: 'https://erp.example.com',
      UPSTREAM_CLIENT_ID: 'id',
      UPSTREAM_CLIENT_SECRET: '',
    });
    expect(problems).toEqual([
      'UPSTREAM_CLIENT_SECRET: is required when NODE_ENV=production (the sandbox default is for development only)',
    ]);
  });

  it('in production reports missing upstream variables together with other bad values', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      PORT: 'abc',
      UPSTREAM_CLIENT_ID: 'id',
      INTERNAL_IDENTITY_SECRET: 's'.repeat(32),
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('PORT: must be a TCP port number (got "abc")');
    expect(problems.slice(1).map((p) => p.split(':')[0])).toEqual([
      'UPSTREAM_BASE_URL',
      'UPSTREAM_CLIENT_SECRET',
    ]);
  });

  it('in production accepts given values, trims trailing slashes and derives the token URL', () => {
    const config = parseConfig('erp-subgraph', schema, {
      NODE_ENV: 'production',
      UPSTREAM_BASE_URL: 'https://erp.example.com/api/v2//',
      UPSTREAM_CLIENT_ID: 'prod-id',
      UPSTREAM_CLIENT_SECRET: 'prod-secret',
      INTERNAL_IDENTITY_SECRET: 'p'.repeat(40),
    });
    expect(config.UPSTREAM_BASE_URL).toBe('https://erp.example.com/api/v2');
    expect(config.UPSTREAM_TOKEN_URL).toBe('https://erp.example.com/api/v2/oauth/token');
    expect(config.UPSTREAM_CLIENT_ID).toBe('prod-id');
    expect(config.UPSTREAM_CLIENT_SECRET).toBe('prod-secret');
    expect(config.INTERNAL_IDENTITY_SECRET).toBe('p'.repeat(40));
  });

  it('keeps an explicit token URL and scope', () => {
    const config = parseConfig('erp-subgraph', schema, {
      UPSTREAM_BASE_URL: 'https://erp.example.com/',
      UPSTREAM_TOKEN_URL: 'https://auth.example.com/token',
      UPSTREAM_SCOPE: 'orders:read',
    });
    expect(config.UPSTREAM_BASE_URL).toBe('https://erp.example.com');
    expect(config.UPSTREAM_TOKEN_URL).toBe('https://auth.example.com/token');
    expect(config.UPSTREAM_SCOPE).toBe('orders:read');
  });

  it('rejects a malformed base URL and a health path without a leading slash', () => {
    expect(
      problemsOf({ UPSTREAM_BASE_URL: 'erp.example.com', UPSTREAM_HEALTH_PATH: 'health' }),
    ).toEqual([
      'UPSTREAM_BASE_URL: must be an absolute URL such as http://127.0.0.1:4201 (got "erp.example.com")',
      'UPSTREAM_HEALTH_PATH: must start with / (got "health")',
    ]);
  });

  it('freezes the derived configuration', () => {
    const config = parseConfig('erp-subgraph', schema, {});
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('subgraphEnvSchema: upstream resilience', () => {
  it('reads retries, breaker and in-flight settings', () => {
    const config = parseConfig('erp-subgraph', schema, {
      UPSTREAM_RETRIES: '0',
      UPSTREAM_RETRY_BASE_MS: '20',
      UPSTREAM_RETRY_MAX_DELAY_MS: '200',
      UPSTREAM_BREAKER_FAILURES: '3',
      UPSTREAM_BREAKER_WINDOW_MS: '10000',
      UPSTREAM_BREAKER_OPEN_MS: '500',
      UPSTREAM_MAX_IN_FLIGHT: '4',
      UPSTREAM_MAX_QUEUED: '0',
    });
    expect(config).toMatchObject({
      UPSTREAM_RETRIES: 0,
      UPSTREAM_RETRY_BASE_MS: 20,
      UPSTREAM_RETRY_MAX_DELAY_MS: 200,
      UPSTREAM_BREAKER_FAILURES: 3,
      UPSTREAM_BREAKER_WINDOW_MS: 10_000,
      UPSTREAM_BREAKER_OPEN_MS: 500,
      UPSTREAM_MAX_IN_FLIGHT: 4,
      UPSTREAM_MAX_QUEUED: 0,
    });
  });

  it('names each bad value in one error', () => {
    expect(
      problemsOf({
        UPSTREAM_RETRIES: '-1',
        UPSTREAM_BREAKER_FAILURES: '0',
        UPSTREAM_MAX_IN_FLIGHT: 'many',
        UPSTREAM_BREAKER_OPEN_MS: '1.5',
      }),
    ).toEqual([
      'UPSTREAM_RETRIES: must be zero or more (got "-1")',
      'UPSTREAM_BREAKER_FAILURES: must be greater than zero (got "0")',
      'UPSTREAM_BREAKER_OPEN_MS: must be a whole number (got "1.5")',
      'UPSTREAM_MAX_IN_FLIGHT: must be a number (got "many")',
    ]);
  });

  it('refuses more than 10 retries and a delay cap below the base delay', () => {
    expect(
      problemsOf({
        UPSTREAM_RETRIES: '50',
        UPSTREAM_RETRY_BASE_MS: '500',
        UPSTREAM_RETRY_MAX_DELAY_MS: '100',
      }),
    ).toEqual([
      'UPSTREAM_RETRIES: must be 10 or fewer (got "50")',
      'UPSTREAM_RETRY_MAX_DELAY_MS: must be at least UPSTREAM_RETRY_BASE_MS (got "100")',
    ]);
  });
});

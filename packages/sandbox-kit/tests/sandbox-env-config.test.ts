import { ConfigError, parseConfig } from '@bff/core';
import { describe, expect, it } from 'vitest';

import { sandboxEnvSchema, worldOptionsOf } from '../src/config.js';

const schema = sandboxEnvSchema(4299, 'test-client:test-secret');
const load = (env: Record<string, string | undefined>) => parseConfig('sandbox-test', schema, env);

describe('sandbox environment', () => {
  it('defaults to the standard world, one hour tokens and no latency', () => {
    const config = load({});
    expect(config.PORT).toBe(4299);
    expect(worldOptionsOf(config)).toEqual({
      seed: 42,
      customers: 2_000,
      products: 500,
      warehouses: 3,
      orders: 20_000,
    });
    expect(config.SANDBOX_TOKEN_TTL_SECONDS).toBe(3_600);
    expect(config.SANDBOX_LATENCY_MS).toBe(0);
    expect(config.SANDBOX_CLIENTS).toEqual(new Map([['test-client', 'test-secret']]));
    expect(config.SANDBOX_ADMIN_KEY).toBeUndefined();
  });

  it('reads the scale, seed, clients and admin key', () => {
    const config = load({
      SANDBOX_SEED: '-3',
      SANDBOX_CUSTOMERS: '50',
      SANDBOX_PRODUCTS: '30',
      SANDBOX_WAREHOUSES: '2',
      SANDBOX_ORDERS: '300',
      SANDBOX_CLIENTS: 'a:1,b:2',
      SANDBOX_ADMIN_KEY: 'k'.repeat(16),
    });
    expect(worldOptionsOf(config)).toEqual({
      seed: -3,
      customers: 50,
      products: 30,
      warehouses: 2,
      orders: 300,
    });
    expect([...config.SANDBOX_CLIENTS]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(config.SANDBOX_ADMIN_KEY).toBe('kkkkkkkkkkkkkkkk');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      load({
        SANDBOX_CUSTOMERS: '0',
        SANDBOX_CLIENTS: 'no-secret',
        SANDBOX_ADMIN_KEY: 'short',
        SANDBOX_TOKEN_TTL_SECONDS: 'soon',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('SANDBOX_CUSTOMERS: must be greater than zero (got "0")');
    expect(problems).toContain(
      'SANDBOX_CLIENTS: client "no-secret" must be written as id:secret (got "no-secret")',
    );
    // A secret's value is never echoed, even a wrong one.
    expect(problems).toContain('SANDBOX_ADMIN_KEY: must be at least 16 characters');
    expect(problems).toContain('SANDBOX_TOKEN_TTL_SECONDS');
    expect((error as ConfigError).problems).toHaveLength(4);
  });
});

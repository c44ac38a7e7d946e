import { fileURLToPath } from 'node:url';

import { ConfigError } from '@bff/core';
import { describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config.js';

const repoSupergraphYaml = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

function configErrorOf(environment: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 4000,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: 10_000,
      SUPERGRAPH_CONFIG: repoSupergraphYaml,
      SUBGRAPH_TIMEOUT_MS: 8_000,
      SUBGRAPH_MAX_CONNECTIONS: 128,
      MAX_BODY_BYTES: 100_000,
      subgraphUrlOverrides: {},
      introspection: true,
    });
  });

  it('returns a frozen config', () => {
    const config = loadConfig({ SUBGRAPH_ERP_URL: 'http://erp.test/graphql' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.subgraphUrlOverrides)).toBe(true);
  });

  it('coerces numbers and keeps SUPERGRAPH_PATH', () => {
    const config = loadConfig({
      PORT: '0',
      SUBGRAPH_TIMEOUT_MS: '250',
      MAX_BODY_BYTES: '1024',
      SUPERGRAPH_PATH: '/srv/supergraph.graphql',
    });
    expect(config.PORT).toBe(0);
    expect(config.SUBGRAPH_TIMEOUT_MS).toBe(250);
    expect(config.MAX_BODY_BYTES).toBe(1024);
    expect(config.SUPERGRAPH_PATH).toBe('/srv/supergraph.graphql');
  });

  it('collects SUBGRAPH_<NAME>_URL variables by lowercase subgraph name', () => {
    const config = loadConfig({
      SUBGRAPH_ERP_URL: 'http://erp.test:4101/graphql',
      SUBGRAPH_CRM_URL: 'https://crm.test/graphql',
      SUBGRAPH_INVENTORY_URL: 'http://inventory.test/graphql',
      SUBGRAPH_TIMEOUT_MS: '100',
      SUBGRAPH_UNSET_URL: '',
      PATH: '/usr/bin',
    });
    expect(config.subgraphUrlOverrides).toEqual({
      erp: 'http://erp.test:4101/graphql',
      crm: 'https://crm.test/graphql',
      inventory: 'http://inventory.test/graphql',
    });
  });

  it('turns underscores of a multi-word name into hyphens', () => {
    expect(
      loadConfig({ SUBGRAPH_ORDER_HISTORY_URL: 'http://oh.test/graphql' }).subgraphUrlOverrides,
    ).toEqual({ 'order-history': 'http://oh.test/graphql' });
  });

  it.each(['erp.test:4101', 'localhost:4101/graphql', '/graphql', 'erp', 'ftp://erp.test/graphql'])(
    'refuses the override %j, naming the variable',
    (value) => {
      const error = configErrorOf({ SUBGRAPH_ERP_URL: value });
      expect(error.problems).toEqual([
        `SUBGRAPH_ERP_URL: must be an absolute http(s) URL (got ${JSON.stringify(value)})`,
      ]);
      expect(error.message).toContain('  - SUBGRAPH_ERP_URL: must be an absolute http(s) URL');
    },
  );

  it('reports every bad override in one error', () => {
    const error = configErrorOf({
      SUBGRAPH_ERP_URL: 'http://erp.test/graphql',
      SUBGRAPH_CRM_URL: 'crm',
      SUBGRAPH_INVENTORY_URL: 'inventory:4103',
    });
    expect(error.problems).toEqual([
      'SUBGRAPH_CRM_URL: must be an absolute http(s) URL (got "crm")',
      'SUBGRAPH_INVENTORY_URL: must be an absolute http(s) URL (got "inventory:4103")',
    ]);
  });

  it('refuses overrides combined with SUPERGRAPH_PATH, naming each variable', () => {
    const error = configErrorOf({
      SUPERGRAPH_PATH: '/srv/supergraph.graphql',
      SUBGRAPH_ERP_URL: 'http://erp.test/graphql',
      SUBGRAPH_CRM_URL: 'http://crm.test/graphql',
    });
    expect(error.problems).toEqual([
      'SUBGRAPH_ERP_URL: cannot be combined with SUPERGRAPH_PATH, whose subgraph URLs are fixed',
      'SUBGRAPH_CRM_URL: cannot be combined with SUPERGRAPH_PATH, whose subgraph URLs are fixed',
    ]);
  });

  it('names a bad schema variable', () => {
    const error = configErrorOf({ SUBGRAPH_TIMEOUT_MS: '-5', NODE_ENV: 'staging' });
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('SUBGRAPH_TIMEOUT_MS: must be greater than zero (got "-5")');
    expect(error.message).toContain('NODE_ENV: ');
  });

  describe('introspection', () => {
    it.each([
      [{}, true],
      [{ NODE_ENV: 'development' }, true],
      [{ NODE_ENV: 'test' }, true],
      [{ NODE_ENV: 'production' }, false],
      [{ NODE_ENV: 'production', INTROSPECTION: '' }, false],
      [{ NODE_ENV: 'production', INTROSPECTION: 'true' }, true],
      [{ NODE_ENV: 'production', INTROSPECTION: '1' }, true],
      [{ NODE_ENV: 'development', INTROSPECTION: 'false' }, false],
      [{ NODE_ENV: 'test', INTROSPECTION: 'no' }, false],
    ])('with %j is %s', (environment, expected) => {
      expect(loadConfig(environment).introspection).toBe(expected);
    });

    it('refuses an INTROSPECTION that is not a boolean', () => {
      expect(configErrorOf({ INTROSPECTION: 'maybe' }).problems).toEqual([
        'INTROSPECTION: must be one of true, false, 1, 0, yes, no (got "maybe")',
      ]);
    });
  });
});

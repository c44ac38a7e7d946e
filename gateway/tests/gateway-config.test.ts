import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ConfigError, devInternalIdentitySecret } from '@bff/core';
import { describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config.js';
import { defaultClientSafelists, defaultConsumerPolicies } from '../src/policy/consumerPolicies.js';

const repoSupergraphYaml = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));
const repoDevKeys = fileURLToPath(new URL('../../.dev-keys', import.meta.url));
const repoPersistedOperations = fileURLToPath(
  new URL('../../persisted-operations', import.meta.url),
);

/** What production needs for identity; each test adds what it is about. */
const productionIdentity = {
  NODE_ENV: 'production',
  AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.com/',
  INTERNAL_IDENTITY_SECRET: 'x'.repeat(40),
};

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
      AUTH_CLOCK_SKEW_SECONDS: 30,
      AUTH_CLASS_CLAIM: 'consumer_class',
      DEV_KEYS_DIR: repoDevKeys,
      INTERNAL_IDENTITY_SECRET: devInternalIdentitySecret,
      AUTHORIZATION_MODE: 'filter',
      GUARDS: 'on',
      REDIS_KEY_PREFIX: 'bff:gateway:',
      REDIS_TIMEOUT_MS: 100,
      TRUSTED_PROXIES: ['loopback'],
      LIMITS_MODE: 'enforce',
      COST_DEFAULT_LIST_SIZE: 10,
      RATE_LIMIT_COST_WEIGHTED: false,
      RATE_LIMIT_COST_PER_TOKEN: 100,
      APQ_TTL_SECONDS: 86_400,
      PERSISTED_OPERATIONS_DIR: repoPersistedOperations,
      PERSISTED_QUERY_PUBLIC_MAX_AGE: 60,
      subgraphUrlOverrides: {},
      introspection: true,
      policies: defaultConsumerPolicies,
      clientSafelists: defaultClientSafelists,
    });
    expect(defaultClientSafelists).toEqual({ 'bff-mobile': 'enforce', 'bff-web': 'enforce' });
  });

  it('reads budgets per consumer class from CONSUMER_POLICY_FILE, over the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(
      file,
      'partner:\n  rateLimit: { burst: 7 }\n  persistedLimits: { cost: 9000 }\nauthenticated:\n  safelist: enforce\n',
    );
    const { policies } = loadConfig({ CONSUMER_POLICY_FILE: file });
    expect(policies.partner.rateLimit).toEqual({ requestsPerMinute: 1_000, burst: 7 });
    expect(policies.partner.limits.cost).toBe(5_000);
    expect(policies.partner.persistedLimits).toEqual({ ...policies.partner.limits, cost: 9_000 });
    expect(policies.authenticated.safelist).toBe('enforce');
    expect(policies.anonymous).toEqual(defaultConsumerPolicies.anonymous);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names every problem of a bad CONSUMER_POLICY_FILE, and refuses to relax the partner safelist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        anonymous: { limits: { depth: 0, costs: 5 } },
        robots: {},
        partner: { safelist: 'off' },
      }),
    );
    expect(() => loadConfig({ CONSUMER_POLICY_FILE: file })).toThrow(
      /anonymous\.limits\.depth: must be greater than zero[\s\S]*anonymous\.limits: Unrecognized key[\s\S]*costs/,
    );
    writeFileSync(file, JSON.stringify({ partner: { safelist: 'off' } }));
    expect(() => loadConfig({ CONSUMER_POLICY_FILE: file })).toThrow(
      /partner\.safelist: partners run only their registered operations/,
    );
    expect(() => loadConfig({ CONSUMER_POLICY_FILE: join(dir, 'missing.yaml') })).toThrow(
      /CONSUMER_POLICY_FILE: .*missing\.yaml: cannot be read/,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads safelist modes per client from CONSUMER_POLICY_FILE, over the BFFs' enforce", () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(
      file,
      'clients:\n  bff-web: { safelist: off }\n  ops-console: { safelist: log-unknown }\n',
    );
    const { clientSafelists, policies } = loadConfig({ CONSUMER_POLICY_FILE: file });
    expect(clientSafelists).toEqual({
      'bff-mobile': 'enforce',
      'bff-web': 'off',
      'ops-console': 'log-unknown',
    });
    expect(Object.isFrozen(clientSafelists)).toBe(true);
    expect(policies).toEqual(defaultConsumerPolicies);
    // A file without `clients` keeps the defaults.
    writeFileSync(file, 'anonymous:\n  safelist: log-unknown\n');
    expect(loadConfig({ CONSUMER_POLICY_FILE: file }).clientSafelists).toEqual(
      defaultClientSafelists,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the path of a bad client entry in CONSUMER_POLICY_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        clients: {
          'bff-mobile': { safelist: 'strict' },
          'bff-web': { safelist: 'off', limits: {} },
          'ops-console': {},
          'no spaces': { safelist: 'off' },
        },
      }),
    );
    const problems = configErrorOf({ CONSUMER_POLICY_FILE: file }).message;
    expect(problems).toContain(
      'clients.bff-mobile.safelist: must be one of off, log-unknown, enforce',
    );
    expect(problems).toMatch(/clients\.bff-web: Unrecognized key[\s\S]*limits/);
    expect(problems).toContain(
      'clients.ops-console.safelist: must be one of off, log-unknown, enforce',
    );
    expect(problems).toContain(
      'clients.no spaces: is not a client name apollographql-client-name can carry',
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads TRUSTED_PROXIES as a list, `none` as no one, and names a bad entry', () => {
    expect(loadConfig({ TRUSTED_PROXIES: 'loopback, 10.0.0.0/8' }).TRUSTED_PROXIES).toEqual([
      'loopback',
      '10.0.0.0/8',
    ]);
    expect(loadConfig({ TRUSTED_PROXIES: 'none' }).TRUSTED_PROXIES).toEqual([]);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'loopback,10.0.0.300' })).toThrow(
      /TRUSTED_PROXIES: invalid IP address: 10\.0\.0\.300/,
    );
  });

  it('accepts only redis:// URLs for REDIS_URL', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).REDIS_URL).toBe(
      'redis://127.0.0.1:6379',
    );
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      /REDIS_URL: must be a redis:\/\//,
    );
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
      [{ ...productionIdentity }, false],
      [{ ...productionIdentity, INTROSPECTION: '' }, false],
      [{ ...productionIdentity, INTROSPECTION: 'true' }, true],
      [{ ...productionIdentity, INTROSPECTION: '1' }, true],
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

  describe('identity and authorization', () => {
    it('accepts a production identity: a JWKS, its issuer and the internal secret', () => {
      const config = loadConfig({ ...productionIdentity, AUTH_AUDIENCE: 'erp-crm-graph' });
      expect(config.AUTH_JWKS_URL).toBe(productionIdentity.AUTH_JWKS_URL);
      expect(config.AUTH_AUDIENCE).toBe('erp-crm-graph');
      expect(config.INTERNAL_IDENTITY_SECRET).toBe(productionIdentity.INTERNAL_IDENTITY_SECRET);
    });

    it('refuses production without a JWKS or an internal identity secret, naming both', () => {
      expect(configErrorOf({ NODE_ENV: 'production' }).problems).toEqual([
        'AUTH_JWKS_URL or AUTH_JWKS_FILE: one is required when NODE_ENV=production',
        'INTERNAL_IDENTITY_SECRET: is required when NODE_ENV=production',
      ]);
    });

    it('refuses the HS256 development secret and GUARDS=off in production', () => {
      const problems = configErrorOf({
        ...productionIdentity,
        AUTH_HS256_SECRET: 's'.repeat(32),
        GUARDS: 'off',
      }).problems;
      expect(problems).toEqual([
        'AUTH_HS256_SECRET: not allowed when NODE_ENV=production',
        'GUARDS: cannot be off when NODE_ENV=production',
      ]);
    });

    it('needs an issuer with a JWKS, and one JWKS source only', () => {
      expect(
        configErrorOf({ AUTH_JWKS_URL: 'https://idp.test/jwks', AUTH_JWKS_FILE: '/etc/jwks.json' })
          .problems,
      ).toEqual([
        'AUTH_ISSUER: is required with AUTH_JWKS_URL or AUTH_JWKS_FILE',
        'AUTH_JWKS_FILE: give AUTH_JWKS_URL or AUTH_JWKS_FILE, not both',
      ]);
    });

    it('names bad values of the authorization variables', () => {
      const error = configErrorOf({
        AUTHORIZATION_MODE: 'strict',
        GUARDS: 'maybe',
        AUTH_HS256_SECRET: 'short',
        AUTH_CLOCK_SKEW_SECONDS: '-1',
      });
      expect(error.message).toContain('AUTHORIZATION_MODE: must be one of filter, reject, dry-run');
      expect(error.message).toContain('GUARDS: must be on or off');
      expect(error.message).toContain('AUTH_HS256_SECRET: must be at least 32 characters');
      expect(error.message).not.toContain('short'); // a secret is never echoed
      expect(error.message).toContain('AUTH_CLOCK_SKEW_SECONDS: must be zero or more');
    });
  });
});

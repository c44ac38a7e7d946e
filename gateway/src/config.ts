import { fileURLToPath } from 'node:url';

import {
  ConfigError,
  devInternalIdentitySecret,
  env,
  internalIdentitySecret,
  parseConfig,
  serviceEnvShape,
} from '@bff/core';
import type { Config } from '@bff/core';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

import {
  ConsumerPolicyError,
  defaultClientSafelists,
  defaultConsumerPolicies,
  loadConsumerPolicies,
} from './policy/consumerPolicies.js';
import type { ClientSafelists, ConsumerPolicies } from './policy/consumerPolicies.js';

/** supergraph.yaml at the repository root, from src/ or dist/ alike. */
const defaultSupergraphConfig = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));
/** Where development signing keys and API keys live (git-ignored). */
const defaultDevKeysDir = fileURLToPath(new URL('../../.dev-keys', import.meta.url));
/** Committed trusted-document manifests, one `<client>.json` per client. */
const defaultPersistedOperationsDir = fileURLToPath(
  new URL('../../persisted-operations', import.meta.url),
);

export const envSchema = z.object({
  ...serviceEnvShape(4000),
  /** rover-format supergraph.yaml, composed at start. */
  SUPERGRAPH_CONFIG: z.string().min(1).default(defaultSupergraphConfig),
  /**
   * An already composed supergraph (the artifact CI checked). When set, it is
   * served as is, subgraph URLs included, and SUPERGRAPH_CONFIG is ignored.
   */
  SUPERGRAPH_PATH: z.string().min(1).optional(),
  /** Deadline of one subgraph fetch; longer than the subgraphs' upstream deadlines. */
  SUBGRAPH_TIMEOUT_MS: env.positiveInt(8_000),
  /** Keep-alive connections per subgraph. */
  SUBGRAPH_MAX_CONNECTIONS: env.positiveInt(128),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: env.positiveInt(100_000),
  /** JWKS of the identity provider, by URL (fetched and cached by jose). */
  AUTH_JWKS_URL: env.url().optional(),
  /** JWKS of the identity provider, as a file (for air-gapped or pinned keys). */
  AUTH_JWKS_FILE: z.string().min(1).optional(),
  /** Expected `iss` of bearer tokens; required with a JWKS. */
  AUTH_ISSUER: z.string().min(1).optional(),
  /** Expected `aud` of bearer tokens; unchecked when unset. */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Tolerated clock difference for `exp`/`nbf`, in seconds. */
  AUTH_CLOCK_SKEW_SECONDS: env.nonNegativeInt(30),
  /** Claim naming the consumer class (`authenticated` | `partner` | `internal`). */
  AUTH_CLASS_CLAIM: z.string().min(1).default('consumer_class'),
  /** HS256 secret for bearer tokens; development and tests only. */
  AUTH_HS256_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  /** JSON file of hashed partner API keys; re-read when it changes. */
  API_KEYS_FILE: z.string().min(1).optional(),
  /** Where the development signing key (and dev API keys) are kept. */
  DEV_KEYS_DIR: z.string().min(1).default(defaultDevKeysDir),
  /** HMAC secret of the identity forwarded to subgraphs; required in production. */
  INTERNAL_IDENTITY_SECRET: internalIdentitySecret(),
  /** filter: remove unauthorized fields; reject: refuse the operation; dry-run: log only. */
  AUTHORIZATION_MODE: z
    .enum(['filter', 'reject', 'dry-run'], { error: 'must be one of filter, reject, dry-run' })
    .default('filter'),
  /**
   * off skips every operation guard at the gateway (limits, safelist,
   * field-level authorization, rate limits); identity is still resolved and
   * forwarded, and the subgraphs still refuse protected fields. For
   * measuring what the guards cost; refused in production.
   */
  GUARDS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  /**
   * Shared state of every replica (APQ, trusted documents, rate-limit
   * buckets); in process memory when unset, which suits one replica only.
   */
  REDIS_URL: z
    .url({ error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' })
    .refine((v) => /^rediss?:$/.test(new URL(v).protocol), {
      error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
    })
    .optional(),
  /**
   * Peers whose `X-Forwarded-For` names the real client (the BFFs, a load
   * balancer): `loopback`, `linklocal`, `uniquelocal`, addresses or CIDRs,
   * comma-separated; `none` trusts no one. Only anonymous callers are told
   * apart by address (their rate-limit bucket); everyone else by identity.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('loopback')
    .transform((value) =>
      value === 'none'
        ? []
        : value
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean),
    ),
  /** Put before every key the gateway writes, so several deployments can share one Redis. */
  REDIS_KEY_PREFIX: z.string().default('bff:gateway:'),
  /** How long a shared-store call may take before the gateway gives up on it. */
  REDIS_TIMEOUT_MS: env.positiveInt(100),
  /** YAML or JSON file overriding the budgets of each consumer class and the safelist of named clients (docs/configuration.md). */
  CONSUMER_POLICY_FILE: z.string().min(1).optional(),
  /** enforce: refuse operations over their limits; measure: log and count them, run them. */
  LIMITS_MODE: z
    .enum(['enforce', 'measure'], { error: 'must be enforce or measure' })
    .default('enforce'),
  /** List size the cost estimate assumes where the schema gives none. */
  COST_DEFAULT_LIST_SIZE: env.positiveInt(10),
  /** Charge rate-limit tokens by estimated cost instead of one per request. */
  RATE_LIMIT_COST_WEIGHTED: env.boolean(false),
  /** Estimated cost one rate-limit token buys when cost-weighted. */
  RATE_LIMIT_COST_PER_TOKEN: env.positiveInt(100),
  /** How long an automatic persisted query stays registered. */
  APQ_TTL_SECONDS: env.positiveInt(86_400),
  /** Committed trusted-document manifests, read at start. */
  PERSISTED_OPERATIONS_DIR: z.string().min(1).default(defaultPersistedOperationsDir),
  /** `max-age` of a persisted query answered over GET to an anonymous caller (CDN-cacheable). */
  PERSISTED_QUERY_PUBLIC_MAX_AGE: env.nonNegativeInt(60),
  /**
   * Schema introspection; unset means on outside production (see loadConfig),
   * so this has no default of its own.
   */
  INTROSPECTION: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: 'must be one of true, false, 1, 0, yes, no',
    })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional(),
});

export type GatewayConfig = Omit<Config<typeof envSchema>, 'INTERNAL_IDENTITY_SECRET'> & {
  readonly INTERNAL_IDENTITY_SECRET: string;
  /** `SUBGRAPH_<NAME>_URL` variables, by lowercase subgraph name. */
  readonly subgraphUrlOverrides: Readonly<Record<string, string>>;
  readonly introspection: boolean;
  /** Budgets per consumer class: the defaults, with CONSUMER_POLICY_FILE on top. */
  readonly policies: ConsumerPolicies;
  /** Safelist modes per client name (the product's BFFs: enforce), with CONSUMER_POLICY_FILE on top. */
  readonly clientSafelists: ClientSafelists;
};

const overridePattern = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

export function loadConfig(environment: Record<string, string | undefined>): GatewayConfig {
  const config = parseConfig('gateway', envSchema, environment);
  const overrides: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(environment)) {
    const match = overridePattern.exec(key);
    if (!match || value === undefined || value === '') continue;
    // `localhost:4101` parses as a URL with scheme "localhost:": only http(s) can be fetched.
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
      problems.push(`${key}: must be an absolute http(s) URL (got ${JSON.stringify(value)})`);
    else if (config.SUPERGRAPH_PATH !== undefined) {
      problems.push(
        `${key}: cannot be combined with SUPERGRAPH_PATH, whose subgraph URLs are fixed`,
      );
    } else overrides[(match[1] as string).toLowerCase().replace(/_/g, '-')] = value;
  }
  if (config.NODE_ENV === 'production') {
    if (!config.AUTH_JWKS_URL && !config.AUTH_JWKS_FILE) {
      problems.push('AUTH_JWKS_URL or AUTH_JWKS_FILE: one is required when NODE_ENV=production');
    }
    if (config.AUTH_HS256_SECRET)
      problems.push('AUTH_HS256_SECRET: not allowed when NODE_ENV=production');
    if (!config.INTERNAL_IDENTITY_SECRET)
      problems.push('INTERNAL_IDENTITY_SECRET: is required when NODE_ENV=production');
    if (config.GUARDS === 'off') problems.push('GUARDS: cannot be off when NODE_ENV=production');
  }
  try {
    proxyaddr.compile([...config.TRUSTED_PROXIES]);
  } catch (error) {
    problems.push(`TRUSTED_PROXIES: ${(error as Error).message}`);
  }
  if ((config.AUTH_JWKS_URL || config.AUTH_JWKS_FILE) && !config.AUTH_ISSUER) {
    problems.push('AUTH_ISSUER: is required with AUTH_JWKS_URL or AUTH_JWKS_FILE');
  }
  if (config.AUTH_JWKS_URL && config.AUTH_JWKS_FILE)
    problems.push('AUTH_JWKS_FILE: give AUTH_JWKS_URL or AUTH_JWKS_FILE, not both');
  let policies = defaultConsumerPolicies;
  let clientSafelists = defaultClientSafelists;
  try {
    ({ classes: policies, clientSafelists } = loadConsumerPolicies(config.CONSUMER_POLICY_FILE));
  } catch (error) {
    if (!(error instanceof ConsumerPolicyError)) throw error;
    problems.push(`CONSUMER_POLICY_FILE: ${error.message}`);
  }
  if (problems.length > 0) throw new ConfigError('gateway', problems);
  return Object.freeze({
    ...config,
    INTERNAL_IDENTITY_SECRET: config.INTERNAL_IDENTITY_SECRET ?? devInternalIdentitySecret,
    subgraphUrlOverrides: Object.freeze(overrides),
    introspection: config.INTROSPECTION ?? config.NODE_ENV !== 'production',
    policies,
    clientSafelists,
  });
}

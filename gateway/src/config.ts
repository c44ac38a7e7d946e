import { fileURLToPath } from 'node:url';

import { ConfigError, env, parseConfig, serviceEnvShape } from '@bff/core';
import type { Config } from '@bff/core';
import { z } from 'zod';

/** supergraph.yaml at the repository root, from src/ or dist/ alike. */
const defaultSupergraphConfig = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

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

export type GatewayConfig = Config<typeof envSchema> & {
  /** `SUBGRAPH_<NAME>_URL` variables, by lowercase subgraph name. */
  readonly subgraphUrlOverrides: Readonly<Record<string, string>>;
  readonly introspection: boolean;
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
  if (problems.length > 0) throw new ConfigError('gateway', problems);
  return Object.freeze({
    ...config,
    subgraphUrlOverrides: Object.freeze(overrides),
    introspection: config.INTROSPECTION ?? config.NODE_ENV !== 'production',
  });
}

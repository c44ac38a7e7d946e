import { gatewayNodeFlags } from '@bff/gateway/runtimeFlags';

/**
 * The gateways under test: one process each, run by plain Node (no loader),
 * the same supergraph, the same settings otherwise.
 */
export interface GatewaySpec {
  id: string;
  label: string;
  /** Entry point, relative to the repository root. */
  entry: string;
  env: Record<string, string>;
  /** Node flags, e.g. our production runtime settings, or --cpu-prof when profiling. */
  nodeArgs?: string[];
  /**
   * Ours: verifies the client's bearer token and serves the supergraph with
   * its authorization. The others get the supergraph without it (they refuse
   * it otherwise) and send a fixed signed identity to the subgraphs.
   */
  enforcesAuthorization?: boolean;
  /** Gets the run's REDIS_URL and key prefix (shared state as in production). */
  sharedState?: boolean;
}

/**
 * Ours as production runs it: the built dist/, info logs (one line per
 * request) and the gateway's runtime flags (gateway/src/runtimeFlags.ts).
 */
const oursInProduction = {
  entry: 'gateway/dist/main.js',
  nodeArgs: [...gatewayNodeFlags],
  enforcesAuthorization: true,
};

export const gateways: GatewaySpec[] = [
  {
    id: 'ours',
    label: 'ours, guards on',
    ...oursInProduction,
    // Every guard on, rate limits counted in Redis as a fleet of replicas
    // would (bench/run.ts sets REDIS_URL and a key prefix of the run's own).
    env: { LOG_LEVEL: 'info', CONSUMER_POLICY_FILE: 'bench/consumer-policy.yaml' },
    sharedState: true,
  },
  {
    id: 'ours-unguarded',
    label: 'ours, guards off',
    ...oursInProduction,
    // GUARDS=off skips every operation guard (limits, persisted-operation
    // policy, authorization, rate limits); identity is still verified and forwarded. Production refuses
    // GUARDS=off, so this row runs as NODE_ENV=test: nothing on the request
    // path reads NODE_ENV (introspection and stack traces are set explicitly).
    env: { LOG_LEVEL: 'info', GUARDS: 'off', NODE_ENV: 'test' },
  },
  {
    id: 'stock-apollo',
    label: 'stock @apollo/gateway',
    entry: 'bench/processes/stockApolloGateway.mjs',
    env: {},
  },
  {
    id: 'hive',
    label: 'Hive Gateway, dedup off',
    entry: 'bench/processes/hiveGateway.mjs',
    env: { DEDUPLICATE: 'off' },
  },
  {
    id: 'hive-dedup',
    label: 'Hive Gateway, dedup on',
    entry: 'bench/processes/hiveGateway.mjs',
    env: { DEDUPLICATE: 'on' },
  },
];

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
}

/**
 * Ours as production runs it: the built dist/, info logs (one line per
 * request) and the gateway's runtime flags (gateway/src/runtimeFlags.ts).
 */
const oursInProduction = {
  entry: 'gateway/dist/main.js',
  nodeArgs: [...gatewayNodeFlags],
};

export const gateways: GatewaySpec[] = [
  { id: 'ours', label: 'ours, guards on', ...oursInProduction, env: { LOG_LEVEL: 'info' } },
  {
    id: 'ours-unguarded',
    label: 'ours, guards off',
    ...oursInProduction,
    // GUARDS=off is how the guards of issues 4 and 5 are switched off; until
    // they exist both "ours" rows run the same code.
    env: { LOG_LEVEL: 'info', GUARDS: 'off' },
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

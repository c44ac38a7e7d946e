import { durationBuckets } from '@bff/core';
import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** The gateway's fetches to its subgraphs (SubgraphDataSource). */
export interface SubgraphFetchMetrics {
  /** Every fetch, by subgraph and outcome: ok (any GraphQL answer), timeout, unavailable. */
  readonly duration: Histogram<'subgraph' | 'outcome'>;
  /** Failed fetches, by subgraph and the code the client got (SUBGRAPH_TIMEOUT, SUBGRAPH_UNAVAILABLE). */
  readonly errors: Counter<'subgraph' | 'code'>;
}

export function createSubgraphFetchMetrics(registry: Registry): SubgraphFetchMetrics {
  return {
    duration: new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: 'Fetches from the gateway to a subgraph, by subgraph and outcome (ok: the subgraph answered GraphQL, errors included; timeout; unavailable).',
      labelNames: ['subgraph', 'outcome'],
      buckets: durationBuckets,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'gateway_subgraph_fetch_errors_total',
      help: 'Subgraph fetches that failed, by subgraph and the error code the client got.',
      labelNames: ['subgraph', 'code'],
      registers: [registry],
    }),
  };
}

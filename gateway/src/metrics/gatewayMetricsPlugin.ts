import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { BoundedLabel, ErrorCode } from '@bff/core';

import type { GatewayContext } from '../context.js';
import type { GuardMetrics } from './guardMetrics.js';

/**
 * Counts, once the answer is final (after the guards have rewritten it):
 * - `gateway_operation_rejected_total{code}`: an answer with errors and no
 *   data at all is an operation that never ran; the first error's code says
 *   which guard (or the parser, or validation) refused it. Partial answers
 *   (a field removed, a subgraph down) are not rejections.
 * - `gateway_cache_requests_total{cache="apq"}`: an APQ hit when Apollo
 *   served the text from its cache, a miss when it answered
 *   PERSISTED_QUERY_NOT_FOUND (the client then sends the text to register).
 * Refused credentials never reach a plugin: server.ts counts those.
 */
export function gatewayMetricsPlugin(metrics: GuardMetrics): ApolloServerPlugin<GatewayContext> {
  const apqHit = metrics.cacheRequests.labels({ cache: 'apq', result: 'hit' });
  const apqMiss = metrics.cacheRequests.labels({ cache: 'apq', result: 'miss' });
  const rejectedBy = rejectionCounter(metrics);
  // One listener for every request: no closure per request on the hot path.
  const listener: GraphQLRequestListener<GatewayContext> = {
    async willSendResponse({ response, metrics: requestMetrics }) {
      if (requestMetrics.persistedQueryHit) apqHit.inc();
      if (response.body.kind !== 'single') return;
      const { data, errors } = response.body.singleResult;
      if (!errors || errors.length === 0 || data !== undefined) return;
      const code = errors[0]?.extensions?.code;
      // APQ's first round trip, not a refusal: the client sends the text next.
      if (code === ErrorCode.PERSISTED_QUERY_NOT_FOUND) {
        apqMiss.inc();
        return;
      }
      rejectedBy(typeof code === 'string' ? code : undefined);
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

const rejectionCounters = new WeakMap<GuardMetrics, (code: string | undefined) => void>();

/**
 * Counts a rejection by code (one counter per GuardMetrics, shared by the
 * plugin and the credentials check). Codes are ours and Apollo's, a fixed
 * set, but an error from elsewhere could carry anything: bounded all the same.
 */
export function rejectionCounter(metrics: GuardMetrics): (code: string | undefined) => void {
  const existing = rejectionCounters.get(metrics);
  if (existing) return existing;
  const codes = new BoundedLabel(100, 64);
  const counters = new Map<string, { inc(): void }>();
  const count = (code: string | undefined) => {
    const label = codes.of(code ?? 'NONE');
    let counter = counters.get(label);
    if (!counter) {
      counter = metrics.rejected.labels({ code: label });
      counters.set(label, counter);
    }
    counter.inc();
  };
  rejectionCounters.set(metrics, count);
  return count;
}

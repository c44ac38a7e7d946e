import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '@bff/core';
import type { Logger } from '@bff/core';
import { GraphQLError } from 'graphql';

import type { GatewayContext } from '../context.js';
import type { GuardMetrics } from '../metrics/guardMetrics.js';
import type { ConsumerPolicies } from '../policy/consumerPolicies.js';
import type { RateLimitDecision, RateLimiter } from '../rateLimit/RateLimiter.js';
import { SharedStoreUnavailableError } from '@bff/shared-state';

export interface RateLimitPluginOptions {
  limiter: RateLimiter;
  policies: ConsumerPolicies;
  /**
   * Charge an operation by its estimated cost rather than one token per
   * request: `ceil(cost / costPerToken)` tokens, at least one.
   * @default false
   */
  costWeighted?: boolean;
  /** Estimated cost one token buys when cost-weighted. @default 100 */
  costPerToken?: number;
  metrics: GuardMetrics;
  /** For the once-per-outage warning when the shared store stops answering. */
  logger: Logger;
}

/**
 * A token bucket per consumer, the last guard before execution: a bucket
 * holds the class's burst and refills at its requests per minute. Every
 * request the gateway parsed is charged (an operation that an earlier guard
 * refused, or that did not parse, one token), so refusals cannot be used to
 * probe for free; every such response says where the caller stands
 * (`RateLimit-*` and `X-RateLimit-*`), and an empty bucket is a 429 with
 * `Retry-After` and RATE_LIMITED.
 *
 * When the shared store does not answer in time the request goes through
 * unmetered (fail open, without the headers): an outage of Redis must not
 * become an outage of the graph. It is logged once per outage and counted.
 */
export function rateLimitPlugin(
  options: RateLimitPluginOptions,
): ApolloServerPlugin<GatewayContext> {
  const { limiter, policies, metrics, logger } = options;
  const costPerToken = options.costPerToken ?? 100;
  let failingOpen = false;

  const charge = async (context: GatewayContext, tokens: number) => {
    const { rateLimit } = policies[context.consumer.class];
    try {
      const decision = await limiter.take(
        context.guards.rateLimitKey,
        { capacity: rateLimit.burst, refillPerSecond: rateLimit.requestsPerMinute / 60 },
        tokens,
      );
      if (failingOpen) {
        failingOpen = false;
        logger.info('rate limiting: shared store answering again');
      }
      return decision;
    } catch (error) {
      if (!(error instanceof SharedStoreUnavailableError)) throw error;
      metrics.rateLimitFailOpen.inc();
      if (!failingOpen) {
        failingOpen = true;
        logger.warn({ err: error }, 'rate limiting: shared store unavailable, failing open');
      }
      return undefined;
    }
  };

  return {
    async requestDidStart({ contextValue }) {
      let charged = false;
      let decision: RateLimitDecision | undefined;
      return {
        async didResolveOperation() {
          const { guards, consumer } = contextValue;
          // Earlier guards ran synchronously before this hook started.
          const tokens =
            guards.refused || !options.costWeighted
              ? 1
              : Math.max(1, Math.ceil((guards.cost ?? 0) / costPerToken));
          charged = true;
          decision = await charge(contextValue, tokens);
          if (!decision || decision.allowed || guards.refused) return;
          metrics.rateLimited.inc({ consumer_class: consumer.class });
          throw rateLimited(
            consumer,
            policies[consumer.class].rateLimit.requestsPerMinute,
            decision,
          );
        },
        async willSendResponse({ response }) {
          if (!charged) {
            charged = true;
            decision = await charge(contextValue, 1);
          }
          if (!decision) return;
          const headers = response.http.headers;
          const limit = String(decision.limit);
          const remaining = String(decision.remaining);
          const reset = String(decision.resetSeconds);
          headers.set('ratelimit-limit', limit);
          headers.set('ratelimit-remaining', remaining);
          headers.set('ratelimit-reset', reset);
          headers.set('x-ratelimit-limit', limit);
          headers.set('x-ratelimit-remaining', remaining);
          headers.set('x-ratelimit-reset', reset);
        },
      };
    },
  };
}

function rateLimited(
  consumer: GatewayContext['consumer'],
  requestsPerMinute: number,
  decision: RateLimitDecision,
): GraphQLError {
  const budget = `${requestsPerMinute} requests per minute, bursts of ${decision.limit}`;
  // Only a cost-weighted operation can need more tokens than a full bucket holds.
  const never = !Number.isFinite(decision.retryAfterSeconds);
  return new GraphQLError(
    never
      ? `The operation costs more than ${consumer.class} caller "${consumer.id}" may spend at once (${budget}); it will never be served: ask for less.`
      : `Rate limit reached for ${consumer.class} caller "${consumer.id}": ${budget}. Retry after ${decision.retryAfterSeconds} s.`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        retryAfterSeconds: never ? null : decision.retryAfterSeconds,
        http: {
          status: 429,
          headers: new HeaderMap(
            never ? [] : [['retry-after', String(decision.retryAfterSeconds)]],
          ),
        },
      },
    },
  );
}

import { Counter, Registry } from 'prom-client';

/** The guards' Prometheus series, in the gateway's own registry (served on /metrics). */
export interface GuardMetrics {
  readonly registry: Registry;
  /** Operations over a limit, by limit, mode and consumer class (counted in measure mode too). */
  readonly limitExceeded: Counter<'limit' | 'mode' | 'consumer_class'>;
  /** Requests refused by the rate limiter, by consumer class. */
  readonly rateLimited: Counter<'consumer_class'>;
  /** Requests let through unmetered because the shared store did not answer in time. */
  readonly rateLimitFailOpen: Counter;
}

export function createGuardMetrics(registry = new Registry()): GuardMetrics {
  return {
    registry,
    limitExceeded: new Counter({
      name: 'gateway_operation_limit_exceeded_total',
      help: 'Operations over one of their class limits (refused in enforce mode, run in measure mode).',
      labelNames: ['limit', 'mode', 'consumer_class'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests refused with 429 because the consumer had no tokens left.',
      labelNames: ['consumer_class'],
      registers: [registry],
    }),
    rateLimitFailOpen: new Counter({
      name: 'gateway_rate_limit_fail_open_total',
      help: 'Requests served without rate limiting because the shared store did not answer in time.',
      registers: [registry],
    }),
  };
}

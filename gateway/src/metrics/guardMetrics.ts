import { Counter, Registry } from 'prom-client';

/** The guards' Prometheus series, in the gateway's registry (served on /metrics). */
export interface GuardMetrics {
  readonly registry: Registry;
  /** Operations over a limit, by limit, mode and consumer class (counted in measure mode too). */
  readonly limitExceeded: Counter<'limit' | 'mode' | 'consumer_class'>;
  /** Requests refused by the rate limiter, by consumer class. */
  readonly rateLimited: Counter<'consumer_class'>;
  /** Requests let through unmetered because the shared store did not answer in time. */
  readonly rateLimitFailOpen: Counter;
  /** Operations refused before they ran (no data at all), by the code the client got. */
  readonly rejected: Counter<'code'>;
  /** Lookups in the gateway's caches of operations, by cache and hit or miss. */
  readonly cacheRequests: Counter<'cache' | 'result'>;
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
    rejected: new Counter({
      name: 'gateway_operation_rejected_total',
      help: 'Operations refused before they ran (credentials, persisted-operation rules, limits, authorization, rate limit, parse and validation), by error code.',
      labelNames: ['code'],
      registers: [registry],
    }),
    cacheRequests: new Counter({
      name: 'gateway_cache_requests_total',
      help: 'Lookups in the gateway\'s operation caches: cache="apq" (automatic persisted queries, by hash) and cache="trusted_documents" (hit: answered from memory; miss: a shared-store round trip).',
      labelNames: ['cache', 'result'],
      registers: [registry],
    }),
  };
}

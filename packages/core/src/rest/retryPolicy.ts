import type { HttpMethod } from './RestClient.js';
import type { RetryReason } from './RestClientObserver.js';

export interface RetryOptions {
  /**
   * Retries after the first attempt: 2 means at most 3 attempts. Only
   * idempotent calls are retried (see `isRetryable`).
   * @default 2
   */
  retries?: number;
  /**
   * Upper bound of the first retry's delay; each further retry doubles it.
   * @default 50
   */
  baseDelayMs?: number;
  /**
   * No backoff delay is drawn above this (Retry-After is not capped by it).
   * @default 1000
   */
  maxDelayMs?: number;
  /** Uniform in [0, 1); injectable so tests can pin the jitter. @default Math.random */
  random?: () => number;
}

/**
 * A call may be sent twice only if sending it twice does what sending it once
 * does: GET, HEAD, PUT and DELETE by definition (RFC 9110 §9.2.2), and a POST
 * or PATCH only when it carries an Idempotency-Key the upstream deduplicates on.
 */
export function isIdempotent(method: HttpMethod, idempotencyKey: string | undefined): boolean {
  if (method === 'POST' || method === 'PATCH') return idempotencyKey !== undefined;
  return true;
}

/**
 * Which upstream answers are worth asking again: a 429, and any 5xx except
 * 501 (Not Implemented will not change by asking again). Everything else is an
 * answer about the request, which a retry would only repeat.
 */
export function retryReasonForStatus(status: number): RetryReason | undefined {
  if (status === 429) return 'rate-limited';
  if (status === 503) return 'unavailable';
  if (status >= 500 && status <= 599 && status !== 501) return 'server-error';
  return undefined;
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"): uniform in [0, min(cap, base · 2^retry)), where
 * `retry` is 0 before the first retry. Full jitter spreads a burst of failed
 * callers evenly instead of letting them return in lockstep.
 */
export function fullJitterDelayMs(
  retry: number,
  options: { baseDelayMs: number; maxDelayMs: number; random: () => number },
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(options.random() * ceiling);
}

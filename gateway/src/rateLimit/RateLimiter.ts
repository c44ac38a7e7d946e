/** The shape of one token bucket: how much it holds and how fast it fills. */
export interface TokenBucket {
  /** Tokens a full bucket holds: the largest burst. Positive. */
  capacity: number;
  /** Tokens added per second, up to `capacity`. Positive. */
  refillPerSecond: number;
}

/** The answer to one `take`, with what the `RateLimit-*` headers need. */
export interface RateLimitDecision {
  /** Whether the tokens were taken. A refused take takes nothing. */
  allowed: boolean;
  /** The bucket's capacity. */
  limit: number;
  /** Whole tokens left after this take (>= 0). */
  remaining: number;
  /** Seconds until the bucket is full again, rounded up; 0 when it is full. */
  resetSeconds: number;
  /**
   * 0 when allowed. When refused: seconds until the tokens asked for will be
   * there, rounded up, at least 1. A take of more than the capacity can never
   * succeed, however long the caller waits: its retryAfterSeconds is
   * `Infinity` (test with `Number.isFinite`; it is no value for a
   * `Retry-After` header, and such a request needs a different answer than
   * "slow down").
   */
  retryAfterSeconds: number;
}

/**
 * A token bucket per key. Implementations: MemoryRateLimiter (one process)
 * and RedisRateLimiter (shared by every replica, atomic).
 */
export interface RateLimiter {
  /**
   * Takes `tokens` from `key`'s bucket if it holds that many, else nothing.
   * A key never seen starts full. RedisRateLimiter rejects with
   * SharedStoreUnavailableError when Redis does not answer in time; failing
   * open or closed is the caller's choice.
   */
  take(key: string, bucket: TokenBucket, tokens: number): Promise<RateLimitDecision>;
}

/** Throws a RangeError for a bucket or a take that makes no sense (a bug, not an outage). */
export function assertValidTake(bucket: TokenBucket, tokens: number): void {
  if (!(bucket.capacity > 0 && Number.isFinite(bucket.capacity))) {
    throw new RangeError(`Token bucket capacity must be a positive number, got ${bucket.capacity}`);
  }
  if (!(bucket.refillPerSecond > 0 && Number.isFinite(bucket.refillPerSecond))) {
    throw new RangeError(
      `Token bucket refillPerSecond must be a positive number, got ${bucket.refillPerSecond}`,
    );
  }
  if (!(tokens >= 0 && Number.isFinite(tokens))) {
    throw new RangeError(`Tokens to take must be a number >= 0, got ${tokens}`);
  }
}

/**
 * The decision from a take's outcome in milliseconds, shared by both limiters
 * so that they round alike. `retryMs` is negative when the take asked for
 * more than the capacity.
 */
export function toDecision(
  bucket: TokenBucket,
  outcome: { allowed: boolean; tokensLeft: number; resetMs: number; retryMs: number },
): RateLimitDecision {
  let retryAfterSeconds = 0;
  if (!outcome.allowed) {
    retryAfterSeconds =
      outcome.retryMs < 0
        ? Number.POSITIVE_INFINITY
        : Math.max(1, Math.ceil(outcome.retryMs / 1000));
  }
  return {
    allowed: outcome.allowed,
    limit: bucket.capacity,
    remaining: Math.max(0, Math.floor(outcome.tokensLeft)),
    resetSeconds: Math.max(0, Math.ceil(outcome.resetMs / 1000)),
    retryAfterSeconds,
  };
}

import { createHash } from 'node:crypto';

import { withDeadline } from '@bff/shared-state';
import type { SharedRedisClient, SharedStore } from '@bff/shared-state';
import { assertValidTake, toDecision } from './RateLimiter.js';
import type { RateLimitDecision, RateLimiter, TokenBucket } from './RateLimiter.js';

/**
 * Refill, decide and take in one script, so concurrent takes from any number
 * of replicas cannot both spend the same token. The clock is Redis's (TIME),
 * not the caller's: replicas whose clocks disagree still share one timeline.
 * Same arithmetic as MemoryRateLimiter. Returns integers (Lua numbers are
 * truncated on the way out): allowed, whole tokens left, ms until full, and
 * ms until the asked-for tokens are there (-1: more than the capacity).
 */
const script = `
local capacity = tonumber(ARGV[1])
local perSecond = tonumber(ARGV[2])
local asked = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
local at = tonumber(saved[2])
if saved[1] and at then
  local elapsed = now - at
  if elapsed < 0 then elapsed = 0 end
  tokens = math.min(capacity, tonumber(saved[1]) + elapsed * perSecond / 1000)
end
local allowed = 0
local retryMs = 0
if asked <= tokens then
  allowed = 1
  tokens = tokens - asked
  local fullInMs = math.ceil((capacity - tokens) * 1000 / perSecond)
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
  -- A bucket left alone until full is the same as no bucket: let it go then.
  redis.call('PEXPIRE', KEYS[1], fullInMs + 1000)
elseif asked > capacity then
  retryMs = -1
else
  retryMs = math.ceil((asked - tokens) * 1000 / perSecond)
end
return { allowed, math.floor(tokens), math.ceil((capacity - tokens) * 1000 / perSecond), retryMs }
`;
const scriptSha = createHash('sha1').update(script).digest('hex');

export interface RedisRateLimiterOptions {
  /**
   * Between the store's prefix and the caller's key:
   * `${store.keyPrefix}${namespace}:${key}`.
   * @default 'ratelimit'
   */
  namespace?: string;
  /** How long a take may take before it gives up. @default store.timeoutMs */
  timeoutMs?: number;
}

/**
 * Token buckets in Redis, one hash per key (`tokens`, `at`), shared by every
 * replica on the store's Redis connection. A take that does not complete
 * within `timeoutMs` rejects with SharedStoreUnavailableError; note that the
 * script may still have run (and taken the tokens) on a Redis that answered
 * too late.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: SharedRedisClient;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(store: SharedStore, options: RedisRateLimiterOptions = {}) {
    if (!store.redis) {
      throw new TypeError(
        'RedisRateLimiter needs a Redis-backed shared store; use MemoryRateLimiter',
      );
    }
    this.redis = store.redis;
    this.prefix = `${store.keyPrefix}${options.namespace ?? 'ratelimit'}:`;
    this.timeoutMs = options.timeoutMs ?? store.timeoutMs;
  }

  async take(key: string, bucket: TokenBucket, tokens: number): Promise<RateLimitDecision> {
    assertValidTake(bucket, tokens);
    const call = {
      keys: [this.prefix + key],
      arguments: [String(bucket.capacity), String(bucket.refillPerSecond), String(tokens)],
    };
    const reply = await withDeadline('rate limit take', this.timeoutMs, async () => {
      try {
        return await this.redis.evalSha(scriptSha, call);
      } catch (error) {
        // First run on this Redis (or after a restart or SCRIPT FLUSH): EVAL
        // sends the script once and caches it for the next EVALSHA.
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return this.redis.eval(script, call);
      }
    });
    const [allowed, tokensLeft, resetMs, retryMs] = reply as [number, number, number, number];
    return toDecision(bucket, { allowed: allowed === 1, tokensLeft, resetMs, retryMs });
  }
}

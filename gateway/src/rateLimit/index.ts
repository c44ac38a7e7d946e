// Token-bucket rate limiting, in memory or shared through Redis.
export { MemoryRateLimiter } from './MemoryRateLimiter.js';
export type { MemoryRateLimiterOptions } from './MemoryRateLimiter.js';
export type { RateLimitDecision, RateLimiter, TokenBucket } from './RateLimiter.js';
export { RedisRateLimiter } from './RedisRateLimiter.js';
export type { RedisRateLimiterOptions } from './RedisRateLimiter.js';

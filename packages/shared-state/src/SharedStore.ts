import type { RedisClientType } from '@keyv/redis';

/**
 * String values under one namespace of a SharedStore. Every method rejects
 * with SharedStoreUnavailableError when the backing store cannot answer in
 * time; none of them hangs.
 */
export interface KeyValueStore {
  /** The value, or undefined when the key is absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value`; without `ttlSeconds` it stays until deleted (or evicted in memory). */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Removes the key; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
}

/** The node-redis client that @keyv/redis drives, shared for atomic operations (scripts). */
export type SharedRedisClient = RedisClientType;

/**
 * State shared by every replica (APQ, rate-limit buckets, idempotency keys,
 * webhook dedup, reference data): keyv over Redis when a URL is configured,
 * keyv over a bounded in-process map otherwise.
 */
export interface SharedStore {
  /** Put in front of every key, once: `${keyPrefix}${namespace}:${key}`. */
  readonly keyPrefix: string;
  /** How long any call may take before it gives up. */
  readonly timeoutMs: number;
  /**
   * The Redis client, for operations keyv has no word for (rate-limit
   * scripts). Undefined for the in-memory store. Its commands are rejected at
   * once while it is disconnected (no offline queue) but carry no deadline of
   * their own: bound them with `withDeadline(…, timeoutMs, …)`.
   */
  readonly redis?: SharedRedisClient;
  /** A view whose keys are `${keyPrefix}${name}:${key}`. */
  namespace(name: string): KeyValueStore;
  /** True when the backing store answers now (readiness); never rejects. */
  ping(): Promise<boolean>;
  /** Closes the connection; later calls reject. Waits at most about `timeoutMs`. */
  close(): Promise<void>;
}

// Find and remove a test's keys on the shared Redis through the client a
// store already holds, with SCAN (KEYS would block it) and never FLUSHDB.
import type { SharedRedisClient } from '@bff/shared-state';

/** Every key under `prefix`, sorted. */
export async function keysUnder(redis: SharedRedisClient, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    keys.push(...batch);
  }
  return keys.sort();
}

/** Deletes every key under `prefix`. */
export async function deleteKeysUnder(redis: SharedRedisClient, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(keys);
}

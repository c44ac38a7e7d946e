import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from '@bff/core';

import { SharedStoreUnavailableError } from '@bff/shared-state';
import type { KeyValueStore } from '@bff/shared-state';

/**
 * Apollo Server's APQ cache over the shared store. A store that does not
 * answer in time is a miss on read (the client then sends the full query,
 * as the APQ protocol expects) and a skipped registration on write: an
 * outage costs bytes on the wire, never a failed request.
 */
export function apqCache(store: KeyValueStore, logger: Logger): KeyValueCache<string> {
  const unavailable = (error: unknown, what: string) => {
    if (!(error instanceof SharedStoreUnavailableError)) throw error;
    logger.warn({ err: error }, `APQ: shared store unavailable, ${what}`);
  };
  return {
    async get(key) {
      try {
        return await store.get(key);
      } catch (error) {
        unavailable(error, 'treated as a miss');
        return undefined;
      }
    },
    async set(key, value, options) {
      try {
        await store.set(key, value, options?.ttl ?? undefined);
      } catch (error) {
        unavailable(error, 'not registered');
      }
    },
    async delete(key) {
      try {
        await store.delete(key);
      } catch (error) {
        unavailable(error, 'not deleted');
      }
    },
  };
}

import type { Logger } from '@bff/core';
import { withDeadline } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';

/**
 * The event ids a service has taken, in the shared store so that every
 * replica agrees, kept for `ttlSeconds` (twice the webhook tolerance: an older
 * delivery is refused by its timestamp anyway). With Redis a claim is one
 * SET NX, so two replicas given the same event at once cannot both take it.
 * A store that does not answer lets the event through: every event handler
 * must be safe to apply twice (they re-read the source of truth), while
 * dropping an event would leave a cache stale until its TTL.
 */
export class EventIdClaims {
  private readonly inProcess = new Set<string>();

  constructor(
    private readonly store: SharedStore,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  /** True for the first claim of an id, false for every later one. */
  async claim(id: string): Promise<boolean> {
    try {
      const redis = this.store.redis;
      if (redis) {
        const key = `${this.store.keyPrefix}webhook-dedup:${id}`;
        const set = await withDeadline('webhook dedup', this.store.timeoutMs, () =>
          redis.set(key, '1', { NX: true, EX: this.ttlSeconds }),
        );
        return set === 'OK';
      }
      // In memory (one replica): the Set closes the gap between get and set.
      if (this.inProcess.has(id)) return false;
      this.inProcess.add(id);
      try {
        const seen = this.store.namespace('webhook-dedup');
        if ((await seen.get(id)) !== undefined) return false;
        await seen.set(id, '1', this.ttlSeconds);
        return true;
      } finally {
        this.inProcess.delete(id);
      }
    } catch (error) {
      this.logger.warn(
        { err: error, webhookId: id },
        'webhook dedup unavailable; applying the event',
      );
      return true;
    }
  }
}

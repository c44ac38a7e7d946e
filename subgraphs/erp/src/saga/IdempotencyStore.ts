import { withDeadline } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';

/** What one idempotency key holds: the input's hash, then the result once there is one. */
export interface IdempotencyRecord<R> {
  inputHash: string;
  result?: R;
}

/**
 * Idempotency keys every replica shares. A key is claimed atomically (Redis
 * SET NX PX, or a set-if-absent under this process's lock in memory) with a
 * TTL, so a leader that crashes mid-saga frees its key; the result replaces
 * the claim and is kept for a day, the window clients retry in.
 */
export class IdempotencyStore<R> {
  private readonly memoryLocks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: SharedStore,
    private readonly namespace: string,
    private readonly options: { claimTtlMs: number; resultTtlSeconds: number },
  ) {}

  /** True when this caller now owns the key; false when someone else does (or did). */
  async claim(key: string, inputHash: string): Promise<boolean> {
    const value = JSON.stringify({ inputHash } satisfies IdempotencyRecord<R>);
    const redis = this.store.redis;
    if (redis) {
      const answer = await withDeadline('idempotency claim', this.store.timeoutMs, () =>
        redis.set(this.redisKey(key), value, { NX: true, PX: this.options.claimTtlMs }),
      );
      return answer === 'OK';
    }
    // keyv has no set-if-absent: one process is the only replica in memory
    // mode, so a per-key lock around get-then-set makes it atomic.
    return this.locked(key, async () => {
      const ns = this.store.namespace(this.namespace);
      if ((await ns.get(key)) !== undefined) return false;
      await ns.set(key, value, Math.ceil(this.options.claimTtlMs / 1000));
      return true;
    });
  }

  async get(key: string): Promise<IdempotencyRecord<R> | undefined> {
    const redis = this.store.redis;
    const json = redis
      ? await withDeadline(
          'idempotency get',
          this.store.timeoutMs,
          async () => ((await redis.get(this.redisKey(key))) as string | null) ?? undefined,
        )
      : await this.store.namespace(this.namespace).get(key);
    return json === undefined ? undefined : (JSON.parse(json) as IdempotencyRecord<R>);
  }

  async complete(key: string, inputHash: string, result: R): Promise<void> {
    const value = JSON.stringify({ inputHash, result } satisfies IdempotencyRecord<R>);
    const redis = this.store.redis;
    if (redis) {
      await withDeadline('idempotency complete', this.store.timeoutMs, () =>
        redis.set(this.redisKey(key), value, { EX: this.options.resultTtlSeconds }),
      );
      return;
    }
    await this.store.namespace(this.namespace).set(key, value, this.options.resultTtlSeconds);
  }

  /** Gives the key up after a failure nobody should be answered with again (an outage). */
  async release(key: string): Promise<void> {
    const redis = this.store.redis;
    if (redis) {
      await withDeadline('idempotency release', this.store.timeoutMs, () =>
        redis.del(this.redisKey(key)),
      );
      return;
    }
    await this.store.namespace(this.namespace).delete(key);
  }

  private redisKey(key: string): string {
    return `${this.store.keyPrefix}${this.namespace}:${key}`;
  }

  private async locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.memoryLocks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.memoryLocks.set(key, settled);
    try {
      return await next;
    } finally {
      if (this.memoryLocks.get(key) === settled) this.memoryLocks.delete(key);
    }
  }
}

/**
 * Internal: at most `limit` calls in flight to one upstream, the rest waiting
 * in a bounded first-in, first-out queue.
 *
 * Hand-written rather than cockatiel's bulkhead: that one ignores a queued
 * call's abort signal until a slot frees up, so a caller whose deadline passed
 * while queued would neither fail on time nor give its queue place back.
 * Here a waiter leaves the queue the moment its signal aborts.
 */
export class InFlightLimiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly limit: number,
    readonly maxQueued: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves with a release function once a slot is free. Rejects with a
   * `LimiterRejection` when the queue is full or `signal` aborts first.
   */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(new LimiterRejection('aborted'));
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(new LimiterRejection('queue-full'));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new LimiterRejection('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays put.
      if (next) next.grant();
      else this.active -= 1;
    };
  }
}

interface Waiter {
  grant(): void;
}

export class LimiterRejection extends Error {
  constructor(readonly reason: 'queue-full' | 'aborted') {
    super(reason === 'queue-full' ? 'in-flight queue is full' : 'aborted while queued');
    this.name = 'LimiterRejection';
  }
}

import { BrokenCircuitError, CircuitState, circuitBreaker, handleWhenResult } from 'cockatiel';
import type { CircuitBreakerPolicy, IBreaker } from 'cockatiel';

import type { CircuitStateName } from './RestClientObserver.js';

export interface CircuitBreakerOptions {
  /**
   * Failures within `windowMs` that open the circuit.
   * @default 5
   */
  failureThreshold?: number;
  /** @default 60000 */
  windowMs?: number;
  /**
   * How long an open circuit fails calls fast before letting one trial through.
   * @default 30000
   */
  openMs?: number;
  /** Clock of the failure window, injectable for tests. @default Date.now */
  now?: () => number;
}

/** Thrown instead of calling the upstream while its circuit is open. */
export class CircuitOpenError extends Error {
  constructor() {
    super('circuit open');
    this.name = 'CircuitOpenError';
  }
}

/**
 * Internal: one upstream's circuit breaker, on cockatiel's state machine
 * (closed → open → half-open → closed or open again) with a breaker of our
 * own for "N failures within a window", which none of cockatiel's breakers
 * is (consecutive, count-ratio and sampling-ratio are). The caller decides
 * which results are failures; anything else, 4xx included, counts as the
 * upstream being up.
 *
 * One deviation from cockatiel: while the half-open trial runs, other calls
 * fail fast here, where cockatiel would make them wait for the trial without
 * regard to their own deadlines.
 */
export class UpstreamCircuitBreaker<R> {
  private readonly policy: CircuitBreakerPolicy;
  private readonly openMs: number;
  private openedAt = 0;

  constructor(
    options: CircuitBreakerOptions,
    isFailure: (result: R) => boolean,
    onChange: (state: CircuitStateName) => void,
  ) {
    this.openMs = options.openMs ?? 30_000;
    this.policy = circuitBreaker(
      handleWhenResult((result) => isFailure(result as R)),
      {
        halfOpenAfter: this.openMs,
        breaker: new FailuresWithinWindowBreaker(
          options.failureThreshold ?? 5,
          options.windowMs ?? 60_000,
          options.now ?? Date.now,
        ),
      },
    );
    this.policy.onStateChange((state) => {
      // cockatiel times the open period with Date.now; so does `rejectsCalls`.
      if (state === CircuitState.Open) this.openedAt = Date.now();
      const name = stateNames[state];
      if (name) onChange(name);
    });
  }

  get state(): CircuitStateName {
    return stateNames[this.policy.state] ?? 'open';
  }

  /** True while a call would fail fast: open and not yet due for its trial, or the trial running. */
  rejectsCalls(): boolean {
    const state = this.policy.state;
    if (state === CircuitState.HalfOpen || state === CircuitState.Isolated) return true;
    return state === CircuitState.Open && Date.now() - this.openedAt < this.openMs;
  }

  /**
   * Runs `fn` through the breaker; throws `CircuitOpenError` without running
   * it while the circuit is open or its trial is running.
   */
  async execute(fn: () => Promise<R>): Promise<R> {
    // Checked in the same tick as cockatiel's own switch on the state, so no
    // second call can slip into a half-open circuit behind the trial.
    if (this.policy.state === CircuitState.HalfOpen) throw new CircuitOpenError();
    try {
      return (await this.policy.execute(() => fn())) as R;
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError();
      throw error;
    }
  }
}

const stateNames: Partial<Record<CircuitState, CircuitStateName>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
};

/**
 * Opens once `threshold` failures fall within the last `windowMs`; successes
 * do not forgive earlier failures, time does. The count starts afresh when
 * the circuit opens and when a trial closes it.
 */
class FailuresWithinWindowBreaker implements IBreaker {
  private failures: number[] = [];

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  get state(): unknown {
    return [...this.failures];
  }

  set state(value: unknown) {
    this.failures = Array.isArray(value) ? value.filter((t) => typeof t === 'number') : [];
  }

  success(state: CircuitState): void {
    if (state === CircuitState.HalfOpen) this.failures = [];
  }

  failure(state: CircuitState): boolean {
    if (state === CircuitState.HalfOpen) {
      this.failures = [];
      return true;
    }
    const now = this.now();
    this.failures = this.failures.filter((at) => now - at < this.windowMs);
    this.failures.push(now);
    if (this.failures.length < this.threshold) return false;
    this.failures = [];
    return true;
  }
}

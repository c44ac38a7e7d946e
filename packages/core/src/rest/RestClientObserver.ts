import type { Logger } from '../logger.js';
import type { HttpMethod } from './RestClient.js';
import type { UpstreamErrorCode } from './UpstreamError.js';

/** Why an attempt is being repeated; a small closed set, fit for a metric label. */
export type RetryReason = 'transport' | 'timeout' | 'rate-limited' | 'unavailable' | 'server-error';

export type CircuitStateName = 'open' | 'half-open' | 'closed';

export interface CallCompletedEvent {
  upstream: string;
  /** The call's stable label ('GET /orders/:id'), never its concrete path. */
  route: string;
  method: HttpMethod;
  outcome: 'ok' | UpstreamErrorCode;
  /** The last HTTP status the upstream answered, when it answered at all. */
  status?: number;
  /** From the call to its result, retries and waiting included. */
  durationMs: number;
  /** Requests sent (or tried) to the upstream; 0 when it failed fast. */
  attempts: number;
}

export interface RetriedEvent {
  upstream: string;
  route: string;
  /** The attempt about to be made: 2 for the first retry. */
  attempt: number;
  delayMs: number;
  reason: RetryReason;
}

export interface CircuitChangedEvent {
  upstream: string;
  state: CircuitStateName;
}

/**
 * Hooks for metrics (Prometheus counters and histograms) that need no change
 * to `RestClient`. Every hook is optional; a hook that throws or rejects is
 * ignored: observing a call must never break it.
 */
export interface RestClientObserver {
  callCompleted?(event: CallCompletedEvent): void;
  retried?(event: RetriedEvent): void;
  circuitChanged?(event: CircuitChangedEvent): void;
}

/** Internal: calls one hook, swallowing what it throws or rejects with (logged at debug). */
export function notify<E>(
  hook: ((event: E) => unknown) | undefined,
  observer: RestClientObserver | undefined,
  event: E,
  logger: Logger,
): void {
  if (!hook) return;
  const ignore = (err: unknown) => logger.debug({ err }, 'upstream observer failed; ignored');
  try {
    const result = hook.call(observer, event);
    // An async hook's rejection would otherwise be unhandled and could end the process.
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      Promise.resolve(result).catch(ignore);
    }
  } catch (err) {
    ignore(err);
  }
}

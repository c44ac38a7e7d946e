// Internal to RestClient: what one attempt at an upstream call can come to,
// and how that becomes a retry reason or the call's error.
import { ErrorCode, UnreachableCaseError } from '../errors.js';
import { parseRetryAfter } from './parseRetryAfter.js';
import type { RetryReason } from './RestClientObserver.js';
import { retryReasonForStatus } from './retryPolicy.js';
import { UpstreamError, upstreamErrorFromStatus } from './UpstreamError.js';

/** What one attempt came to; only the caller of `attempt` turns it into a result or an error. */
export type Attempt =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      text: string;
      token: string | undefined;
    }
  /** No answer, the call's deadline still ahead (refused, reset, undici's own timeouts). */
  | { kind: 'transport'; error: unknown; timedOut: boolean }
  /** The call's deadline passed. */
  | { kind: 'timeout'; error: unknown }
  /** The caller gave up. */
  | { kind: 'aborted'; error: unknown }
  | { kind: 'circuit-open' }
  | { kind: 'overloaded'; reason: 'queue-full' | 'queue-timeout' };

/** What of a call `attemptError` needs. */
export interface CallFacts {
  route: string;
  timeoutMs: number;
  /** Fires when the call's whole budget is spent. */
  deadline: AbortSignal;
}

/** The error a call ends with when `attempt` is its last. */
export function attemptError(upstream: string, call: CallFacts, attempt: Attempt): UpstreamError {
  const { route } = call;
  const name = upstream.toUpperCase();
  switch (attempt.kind) {
    case 'response':
      return upstreamErrorFromStatus(upstream, attempt.status, {
        route,
        body: attempt.text.slice(0, 1_000),
        retryAfterSeconds: parseRetryAfter(attempt.headers['retry-after']),
      });
    case 'timeout':
      return abortError(upstream, call, attempt.error);
    case 'aborted':
    case 'transport':
      return new UpstreamError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        upstream,
        `The ${name} system is unavailable.`,
        {
          route,
          cause: attempt.error,
        },
      );
    case 'circuit-open':
      return new UpstreamError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        upstream,
        `The ${name} system is unavailable.`,
        {
          route,
          reason: 'circuit-open',
        },
      );
    case 'overloaded':
      return new UpstreamError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        upstream,
        `The ${name} system is unavailable.`,
        {
          route,
          reason: attempt.reason,
        },
      );
    default:
      throw new UnreachableCaseError(attempt);
  }
}

/** The deadline passed (UPSTREAM_TIMEOUT) or the caller gave up (UPSTREAM_UNAVAILABLE). */
export function abortError(upstream: string, call: CallFacts, cause: unknown): UpstreamError {
  const name = upstream.toUpperCase();
  return call.deadline.aborted
    ? new UpstreamError(
        ErrorCode.UPSTREAM_TIMEOUT,
        upstream,
        `The ${name} system did not answer within ${call.timeoutMs} ms.`,
        { route: call.route, cause },
      )
    : new UpstreamError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        upstream,
        `The ${name} system is unavailable.`,
        {
          route: call.route,
          cause,
        },
      );
}

export function retryReasonOf(attempt: Attempt): RetryReason | undefined {
  switch (attempt.kind) {
    case 'transport':
      return attempt.timedOut ? 'timeout' : 'transport';
    case 'response':
      return retryReasonForStatus(attempt.status);
    default:
      // A spent deadline, an abandoned call, an open circuit or a full queue:
      // asking again would not help (and for the last two would add load).
      return undefined;
  }
}

/** undici's own connect, headers and body timeouts: no answer, but the deadline is not yet spent. */
export function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  );
}

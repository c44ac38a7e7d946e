import { GraphQLError } from 'graphql';

import { ErrorCode } from '../errors.js';

export type UpstreamErrorCode =
  | typeof ErrorCode.UPSTREAM_UNAVAILABLE
  | typeof ErrorCode.UPSTREAM_TIMEOUT
  | typeof ErrorCode.UPSTREAM_RATE_LIMITED
  | typeof ErrorCode.BAD_USER_INPUT
  | typeof ErrorCode.NOT_FOUND
  | typeof ErrorCode.CONFLICT;

/**
 * A failed call to an upstream system. The client sees the code, the
 * upstream's name and a generic message; the upstream's URL, status and body
 * stay on this object for the logs.
 */
export class UpstreamError extends GraphQLError {
  constructor(
    readonly code: UpstreamErrorCode,
    readonly upstream: string,
    message: string,
    readonly detail: {
      status?: number;
      route?: string;
      body?: string;
      retryAfterSeconds?: number;
      /** Why no answer was had, for the logs: 'circuit-open', 'queue-full', 'queue-timeout'. */
      reason?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, {
      extensions: {
        code,
        upstream,
        ...(detail.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: detail.retryAfterSeconds }
          : {}),
      },
    });
    this.name = 'UpstreamError';
  }
}

/**
 * The one place an upstream HTTP status becomes a code (STYLE §4). An
 * upstream 401/403 means *our* service credentials were refused, not the
 * end user's, so it is reported as the upstream being unavailable rather than
 * as UNAUTHENTICATED, which clients would take as "sign the user out".
 */
export function upstreamErrorFromStatus(
  upstream: string,
  status: number,
  detail: { route: string; body?: string; retryAfterSeconds?: number },
): UpstreamError {
  const name = upstream.toUpperCase();
  switch (true) {
    case status === 400 || status === 422:
      return new UpstreamError(
        ErrorCode.BAD_USER_INPUT,
        upstream,
        `The ${name} system rejected the request as invalid.`,
        { status, ...detail },
      );
    case status === 404:
      return new UpstreamError(
        ErrorCode.NOT_FOUND,
        upstream,
        `The ${name} system has no such record.`,
        {
          status,
          ...detail,
        },
      );
    case status === 409:
      return new UpstreamError(
        ErrorCode.CONFLICT,
        upstream,
        `The ${name} system refused the request as conflicting with its current state.`,
        { status, ...detail },
      );
    case status === 429:
      return new UpstreamError(
        ErrorCode.UPSTREAM_RATE_LIMITED,
        upstream,
        `The ${name} system is rate limiting us; try again later.`,
        { status, ...detail },
      );
    case status === 504:
      return new UpstreamError(
        ErrorCode.UPSTREAM_TIMEOUT,
        upstream,
        `The ${name} system timed out.`,
        {
          status,
          ...detail,
        },
      );
    default:
      return new UpstreamError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        upstream,
        `The ${name} system is unavailable.`,
        { status, ...detail },
      );
  }
}

import { ErrorCode } from '@bff/core';

import type { GatewayResult } from '../gateway/GatewayClient.js';

/**
 * An error a screen endpoint answers as
 * `{ "error": { code, message, status, details, request_id } }`.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Response headers that go with it (Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The gateway's error codes to HTTP statuses. A code missing here (a
 * malformed request from us, a document the gateway does not know: a BFF
 * deployed ahead of the gateway's manifests) is our fault, not the app's:
 * it is a 502, like a gateway failure.
 */
const statusOfCode: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE]: 403,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.PERSISTED_QUERY_ID_REQUIRED]: 403,
  [ErrorCode.PERSISTED_QUERY_NOT_IN_LIST]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
};

/**
 * The gateway refuses a BFF's registered document to credentials whose class
 * runs only its own (a partner's key or token used with an app): to the app
 * that is these credentials being forbidden here, not a document detail.
 */
const forbiddenCredentials: ReadonlySet<string> = new Set([
  ErrorCode.PERSISTED_QUERY_ID_REQUIRED,
  ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
]);

/** The ApiError for a gateway result that has no usable data. */
export function apiErrorOf(result: Exclude<GatewayResult, { kind: 'answer' }>): ApiError;
export function apiErrorOf(result: GatewayResult): ApiError | undefined;
export function apiErrorOf(result: GatewayResult): ApiError | undefined {
  switch (result.kind) {
    case 'timeout':
      return new ApiError(ErrorCode.UPSTREAM_TIMEOUT, 503, 'The gateway did not answer in time.');
    case 'unreachable':
    case 'bad-answer':
      return new ApiError(ErrorCode.UPSTREAM_UNAVAILABLE, 502, 'The gateway is unavailable.');
    case 'answer': {
      const first = result.errors.find((e) => typeof e.extensions?.code === 'string');
      const code = first?.extensions?.code;
      if (!first || code === undefined) return undefined;
      const status = statusOfCode[code];
      if (status === undefined)
        return new ApiError(ErrorCode.UPSTREAM_UNAVAILABLE, 502, 'The gateway could not answer.');
      if (status === 429) {
        const seconds = first.extensions?.retryAfterSeconds;
        const retryAfter =
          result.retryAfter ?? (typeof seconds === 'number' ? String(seconds) : undefined);
        if (retryAfter === undefined) {
          // The gateway says no wait is long enough (one request costs more
          // than a full bucket): telling the app to retry would be a lie.
          return new ApiError(ErrorCode.RATE_LIMITED, 429, first.message, {
            retryAfterSeconds: null,
          });
        }
        return new ApiError(
          ErrorCode.RATE_LIMITED,
          429,
          'Too many requests: retry later.',
          { retryAfterSeconds: Number(retryAfter) },
          { 'retry-after': retryAfter },
        );
      }
      if (forbiddenCredentials.has(code))
        return new ApiError(
          ErrorCode.FORBIDDEN,
          403,
          'These credentials may not use this screen: sign in as a user of the app.',
        );
      return new ApiError(code as ErrorCode, status, first.message);
    }
  }
}

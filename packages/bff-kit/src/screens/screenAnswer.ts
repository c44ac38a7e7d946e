import { ErrorCode } from '@bff/core';
import type { Request } from 'express';

import type { CallerContext, GatewayError, GatewayResult } from '../gateway/GatewayClient.js';
import { ApiError, apiErrorOf } from '../http/ApiError.js';

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * The end user's identity as the gateway takes it (`Bearer <token>`),
     * set by the BFF's own sign-in scheme: bff-mobile passes the app's
     * bearer token on, bff-web takes it from the session. Unset: anonymous.
     */
    endUserAuthorization?: string;
  }
}

/** What the app's request passes on to the gateway: its user, request id and trace. */
export function callerOf(req: Request): CallerContext {
  return {
    requestId: req.id,
    authorization: req.endUserAuthorization,
    traceparent: req.traceparent,
    clientAddress: req.ip,
  };
}

/** The screen's root object (`data[root]`), when the gateway had one. */
export function rootOf<T>(result: GatewayResult, root: string): T | undefined {
  if (result.kind !== 'answer') return undefined;
  const value = result.data?.[root];
  return value === null || value === undefined ? undefined : (value as T);
}

/**
 * Why a screen has no root object: the error at the root (or none) mapped
 * like any gateway error. A root the gateway refused to an anonymous caller
 * is 401 (sign in), not 403; no error and no object is `notFound`.
 */
export function failureOf(
  req: Request,
  result: GatewayResult,
  root: string,
  notFound: () => ApiError,
): ApiError {
  if (result.kind !== 'answer') return apiErrorOf(result);
  const atRoot = result.errors.filter((e) => !e.path || e.path.length <= 1);
  const rootErrors = result.errors.filter((e) => e.path?.length === 1 && e.path[0] === root);
  const relevant = rootErrors.length > 0 ? rootErrors : atRoot;
  const refused = relevant.some((e) => e.extensions?.code === ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE);
  if (refused && !req.endUserAuthorization)
    return new ApiError(ErrorCode.UNAUTHENTICATED, 401, 'Sign in to see this screen.');
  const error = apiErrorOf({ ...result, errors: relevant });
  if (!error || error.code === ErrorCode.NOT_FOUND) return notFound();
  return error;
}

/**
 * The parts of a screen the graph could not fill: each error below the root
 * names one, by `partOf` its path. A field the caller may not see
 * (UNAUTHORIZED_FIELD_OR_TYPE) is not missing: the screen simply omits it.
 */
export function missingParts(
  errors: readonly GatewayError[],
  partOf: (path: readonly (string | number)[]) => string,
): string[] | undefined {
  const parts = new Set<string>();
  for (const error of errors) {
    if (!error.path || error.path.length <= 1) continue;
    if (error.extensions?.code === ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE) continue;
    parts.add(partOf(error.path));
  }
  return parts.size > 0 ? [...parts].sort() : undefined;
}

/** A copy of `value` without its null and undefined keys, at every depth. */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && item !== undefined) out[key] = withoutNulls(item);
  }
  return out as T;
}

/** Ids and SKUs the BFF passes on: short, no spaces or slashes. */
export const idPattern = /^[\w.-]{1,64}$/;

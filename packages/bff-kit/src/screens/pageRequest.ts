import { ErrorCode } from '@bff/core';

import { ApiError } from '../http/ApiError.js';

/** Cursors the gateway hands out: opaque, printable, bounded. */
const cursorPattern = /^[\w+/=:.-]{1,200}$/;

export interface PageRequest {
  size: number;
  /** The cursor to continue after; null for the first page. */
  cursor: string | null;
}

/**
 * A list screen's page size and cursor from its query string (`?limit=&cursor=`
 * on mobile, `?first=&after=` on the web), or the 400 that says which was wrong.
 */
export function pageRequestOf(
  query: Record<string, unknown>,
  options: { sizeParam: string; cursorParam: string; defaultSize: number; maxSize: number },
): PageRequest | ApiError {
  const rawSize = query[options.sizeParam];
  const size = rawSize === undefined ? options.defaultSize : Number(rawSize);
  if (!Number.isInteger(size) || size < 1 || size > options.maxSize) {
    return new ApiError(
      ErrorCode.BAD_USER_INPUT,
      400,
      `${options.sizeParam} must be 1 to ${options.maxSize}.`,
      { [options.sizeParam]: rawSize },
    );
  }
  const cursor = query[options.cursorParam];
  if (cursor !== undefined && (typeof cursor !== 'string' || !cursorPattern.test(cursor)))
    return new ApiError(ErrorCode.BAD_USER_INPUT, 400, 'Not a cursor.');
  return { size, cursor: cursor ?? null };
}

import { SandboxHttpError } from './SandboxHttpError.js';

export interface KeysetPage<T> {
  items: T[];
  hasMore: boolean;
}

/**
 * Keyset pagination over an already sorted list: the page after the item
 * whose key is `afterKey`. `indexOf` may be a prebuilt map for long lists.
 */
export function keysetPage<T>(
  sorted: readonly T[],
  keyOf: (item: T) => string,
  afterKey: string | undefined,
  limit: number,
  indexOf?: (key: string) => number | undefined,
): KeysetPage<T> {
  let start = 0;
  if (afterKey !== undefined) {
    const index = indexOf
      ? indexOf(afterKey)
      : sorted.findIndex((item) => keyOf(item) === afterKey);
    if (index === undefined || index < 0) {
      throw new SandboxHttpError(400, 'invalid_cursor', `no item "${afterKey}" to continue after`);
    }
    start = index + 1;
  }
  const items = sorted.slice(start, start + limit);
  return { items, hasMore: start + limit < sorted.length };
}

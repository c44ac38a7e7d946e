import { checkIds } from '@bff/sandbox-kit';

import { limits } from './limits.js';

/** `{ data, missing }`: found records (in request order) and the ids that matched nothing. */
export function batchResult<T>(ids: string[], find: (id: string) => T | undefined) {
  const data: T[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const record = find(id);
    if (record === undefined) missing.push(id);
    else data.push(record);
  }
  return { object: 'list' as const, data, missing };
}

/** Reads `field` from a batch-get body: a list of up to `limits.idsPerBatch` ids. */
export function batchIds(body: unknown, field: string): string[] | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  return value === undefined ? undefined : checkIds(value, field, limits.idsPerBatch);
}

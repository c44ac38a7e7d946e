import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

// Accept the ids that proxies and tracing tools commonly mint (UUIDs, ULIDs,
// hex, dotted or colon-separated ids); anything else is replaced so that a
// client cannot inject arbitrary text into our logs.
const acceptable = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` if it is well-formed, or a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && acceptable.test(value) ? value : randomUUID();
}

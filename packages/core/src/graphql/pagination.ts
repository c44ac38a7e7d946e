import { badUserInput } from '../errors.js';

/** Relay connection arguments as they arrive from a resolver. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export interface PageRequest {
  /** The list's cursor namespace. */
  kind: string;
  /** How many items to return. */
  limit: number;
  /** Key of the item to continue after, decoded from the cursor; undefined for the first page. */
  afterKey: string | undefined;
}

export interface PageLimits {
  /** Cursor namespace, so an order cursor cannot be passed to a customers field. */
  kind: string;
  /** @default 20 */
  defaultSize?: number;
  /** @default 100 */
  maxSize?: number;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/**
 * Validates `first`/`after` and decodes the cursor. Bad values are the
 * caller's mistake: BAD_USER_INPUT naming the argument and the allowed range.
 */
export function pageRequest(args: ConnectionArgs, limits: PageLimits): PageRequest {
  const maxSize = limits.maxSize ?? 100;
  const first = args.first ?? limits.defaultSize ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > maxSize) {
    throw badUserInput(`"first" must be between 1 and ${maxSize}; got ${first}.`, {
      argument: 'first',
      min: 1,
      max: maxSize,
      actual: first,
    });
  }
  const afterKey = args.after == null ? undefined : decodeCursor(args.after, limits.kind);
  return { kind: limits.kind, limit: first, afterKey };
}

/** Cursors are opaque to clients: base64url of `<kind>:<key>`. */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, kind: string): string {
  const decoded = /^[\w-]{1,400}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  const prefix = `${kind}:`;
  if (!decoded.startsWith(prefix) || decoded.length === prefix.length) {
    throw badUserInput(`"after" is not a cursor from this list; pass a cursor it returned.`, {
      argument: 'after',
    });
  }
  return decoded.slice(prefix.length);
}

/** One page of a list as an upstream returns it. */
export interface ChildPage<V> {
  items: V[];
  hasMore: boolean;
}

/** The Relay connection for a page fetched for `page`; cursors are the items' keys. */
export function toConnection<T>(
  page: PageRequest,
  result: ChildPage<T>,
  keyOf: (node: T) => string,
): Connection<T> {
  const edges = result.items.map((node) => ({
    cursor: encodeCursor(page.kind, keyOf(node)),
    node,
  }));
  return {
    edges,
    nodes: result.items,
    pageInfo: {
      hasNextPage: result.hasMore,
      // Forward pagination only: Relay allows reporting false when unknown,
      // but we do know there is a page before any page reached through `after`.
      hasPreviousPage: page.afterKey !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

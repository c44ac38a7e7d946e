import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';

import {
  decodeCursor,
  encodeCursor,
  pageRequest,
  toConnection,
} from '../src/graphql/pagination.js';

function errorOf(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a GraphQLError');
}

describe('pageRequest', () => {
  it('uses 20 items by default, or the configured default size', () => {
    expect(pageRequest({}, { kind: 'order' })).toStrictEqual({
      kind: 'order',
      limit: 20,
      afterKey: undefined,
    });
    expect(pageRequest({ first: null, after: null }, { kind: 'order', defaultSize: 5 })).toEqual({
      kind: 'order',
      limit: 5,
      afterKey: undefined,
    });
  });

  it('accepts the bounds 1 and maxSize', () => {
    expect(pageRequest({ first: 1 }, { kind: 'order' }).limit).toBe(1);
    expect(pageRequest({ first: 100 }, { kind: 'order' }).limit).toBe(100);
    expect(pageRequest({ first: 50 }, { kind: 'order', maxSize: 50 }).limit).toBe(50);
  });

  it.each([
    [0, 100, undefined],
    [-1, 100, undefined],
    [101, 100, undefined],
    [51, 50, 50],
  ])('rejects first=%i (max %i) with BAD_USER_INPUT naming the range', (first, max, maxSize) => {
    const error = errorOf(() => pageRequest({ first }, { kind: 'order', maxSize }));
    expect(error.message).toBe(`"first" must be between 1 and ${max}; got ${first}.`);
    expect(error.extensions).toStrictEqual({
      code: 'BAD_USER_INPUT',
      argument: 'first',
      min: 1,
      max,
      actual: first,
    });
  });

  it('rejects a fractional first', () => {
    const error = errorOf(() => pageRequest({ first: 2.5 }, { kind: 'order' }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(error.extensions.actual).toBe(2.5);
  });

  it('decodes the after cursor into the key to continue after', () => {
    const after = encodeCursor('order', 'SO-1001');
    expect(pageRequest({ first: 10, after }, { kind: 'order' })).toStrictEqual({
      kind: 'order',
      limit: 10,
      afterKey: 'SO-1001',
    });
  });

  it('rejects a cursor of another list', () => {
    const after = encodeCursor('customer', 'C-1');
    const error = errorOf(() => pageRequest({ after }, { kind: 'order' }));
    expect(error.message).toBe(
      '"after" is not a cursor from this list; pass a cursor it returned.',
    );
    expect(error.extensions).toStrictEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

describe('cursors', () => {
  it.each(['SO-1001', 'a:b:c', 'Zürich 東京', ' spaced ', '0'])('round-trips the key %j', (key) => {
    const cursor = encodeCursor('order', key);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor, 'order')).toBe(key);
  });

  it('is opaque: the key does not appear in the cursor', () => {
    expect(encodeCursor('order', 'SO-1001')).not.toContain('SO-1001');
  });

  it('distinguishes kinds that share a prefix', () => {
    expect(() => decodeCursor(encodeCursor('orderLine', 'x'), 'order')).toThrow(GraphQLError);
    expect(() => decodeCursor(encodeCursor('order', 'x'), 'orderLine')).toThrow(GraphQLError);
  });

  it.each([
    ['empty', ''],
    ['not base64url', '!!!'],
    ['padding', `${Buffer.from('order:1').toString('base64')}==`],
    ['plain text', 'order:1'],
    ['garbage base64url', 'abcdef'],
    ['empty key', encodeCursor('order', '')],
    ['too long', encodeCursor('order', 'k'.repeat(400))],
  ])('rejects a %s cursor with BAD_USER_INPUT', (_label, cursor) => {
    const error = errorOf(() => decodeCursor(cursor, 'order'));
    expect(error.extensions).toStrictEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
    if (cursor !== '') expect(error.message).not.toContain(cursor);
  });
});

describe('toConnection', () => {
  const nodes = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const keyOf = (n: { id: string }) => n.id;
  const firstPage = { kind: 'item', limit: 3, afterKey: undefined };

  it('builds edges with cursors and the page info of a first page', () => {
    const connection = toConnection(firstPage, { items: nodes, hasMore: true }, keyOf);
    expect(connection.nodes).toBe(nodes);
    expect(connection.edges).toStrictEqual([
      { cursor: encodeCursor('item', 'a'), node: nodes[0] },
      { cursor: encodeCursor('item', 'b'), node: nodes[1] },
      { cursor: encodeCursor('item', 'c'), node: nodes[2] },
    ]);
    expect(connection.pageInfo).toStrictEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor('item', 'a'),
      endCursor: encodeCursor('item', 'c'),
    });
  });

  it('reports a previous page for a page reached through after', () => {
    const connection = toConnection(
      { kind: 'item', limit: 2, afterKey: 'b' },
      { items: nodes.slice(2), hasMore: false },
      keyOf,
    );
    expect(connection.pageInfo).toStrictEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: encodeCursor('item', 'c'),
      endCursor: encodeCursor('item', 'c'),
    });
  });

  it('gives null cursors for an empty page', () => {
    const connection = toConnection(firstPage, { items: [], hasMore: false }, keyOf);
    expect(connection).toStrictEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('returns cursors that pageRequest accepts to continue after that node', () => {
    const connection = toConnection(firstPage, { items: nodes, hasMore: true }, keyOf);
    const after = connection.pageInfo.endCursor ?? '';
    expect(pageRequest({ first: 2, after }, { kind: 'item' })).toStrictEqual({
      kind: 'item',
      limit: 2,
      afterKey: 'c',
    });
  });
});

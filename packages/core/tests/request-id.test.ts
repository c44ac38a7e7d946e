import { describe, expect, it } from 'vitest';

import { REQUEST_ID_HEADER, requestIdFrom } from '../src/http/requestId.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('uses the x-request-id header name', () => {
    expect(REQUEST_ID_HEADER).toBe('x-request-id');
  });

  it.each([
    '0b6f8c7e-3f1a-4c2b-9d4e-5a6b7c8d9e0f',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    '4bf92f3577b34da6a3ce929d0e0e4736',
    'req.123:abc_def-9',
    'x',
    'a'.repeat(128),
  ])('keeps the well-formed id %s', (id) => {
    expect(requestIdFrom(id)).toBe(id);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['empty', ''],
    ['with a space', 'abc def'],
    ['with a newline', 'abc\n{"level":"fatal"}'],
    ['with a trailing newline', 'abc\n'],
    ['with markup', '<script>alert(1)</script>'],
    ['with a slash', 'a/b'],
    ['non-ASCII', 'zürich'],
  ])('replaces an id %s with a fresh UUID', (_label, id) => {
    const result = requestIdFrom(id);
    expect(result).toMatch(uuid);
    expect(result).not.toBe(id);
  });

  it('mints a different UUID each time the header is absent', () => {
    const first = requestIdFrom(undefined);
    const second = requestIdFrom(undefined);
    expect(first).toMatch(uuid);
    expect(second).toMatch(uuid);
    expect(first).not.toBe(second);
  });

  it('uses the first of repeated headers', () => {
    expect(requestIdFrom(['first-id', 'second-id'])).toBe('first-id');
    expect(requestIdFrom(['bad id', 'good-id'])).toMatch(uuid);
    expect(requestIdFrom([])).toMatch(uuid);
  });
});

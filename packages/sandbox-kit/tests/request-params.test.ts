import { describe, expect, it } from 'vitest';

import { SandboxHttpError } from '../src/http/SandboxHttpError.js';
import { checkIds, enumParam, idList, intParam, stringParam } from '../src/http/params.js';

/** The SandboxHttpError `run` throws (fails the test if it throws nothing or something else). */
function errorOf(run: () => unknown): SandboxHttpError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxHttpError);
    return error as SandboxHttpError;
  }
  throw new Error('expected a SandboxHttpError, nothing was thrown');
}

describe('idList', () => {
  it('is undefined when the parameter is absent', () => {
    expect(idList({}, 'ids', 10)).toBeUndefined();
  });

  it('splits, trims, drops empty entries and deduplicates, keeping first-seen order', () => {
    expect(idList({ ids: ' b, a,,b , c,a ' }, 'ids', 10)).toEqual(['b', 'a', 'c']);
  });

  it('counts distinct ids against the limit', () => {
    expect(idList({ ids: 'a,a,a,b,b' }, 'ids', 2)).toEqual(['a', 'b']);
    expect(errorOf(() => idList({ ids: 'a,b,c' }, 'ids', 2))).toMatchObject({
      status: 400,
      code: 'too_many_ids',
      message: '"ids" names 3 ids; at most 2 per request',
    });
  });

  it('refuses a list with no ids', () => {
    expect(errorOf(() => idList({ ids: ' , ,' }, 'ids', 2))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      message: '"ids" must name at least one id',
    });
  });

  it('refuses a parameter given twice', () => {
    expect(errorOf(() => idList({ ids: ['a', 'b'] }, 'ids', 2))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      message: '"ids" must be given once',
    });
  });
});

describe('checkIds', () => {
  it('accepts a list of non-empty strings, deduplicated', () => {
    expect(checkIds(['x', 'y', 'x'], 'item_codes', 1_000)).toEqual(['x', 'y']);
    const thousand = Array.from({ length: 1_000 }, (_, i) => `id-${i}`);
    expect(checkIds(thousand, 'ids', 1_000)).toHaveLength(1_000);
  });

  it.each([['a,b'], [[1, 2]], [['a', '']], [{ 0: 'a' }], [null]])('refuses %j', (value) => {
    expect(errorOf(() => checkIds(value, 'ids', 10))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      message: '"ids" must be a list of ids',
    });
  });

  it('refuses an empty list and one over the limit', () => {
    expect(errorOf(() => checkIds([], 'ids', 10)).message).toBe('"ids" must name at least one id');
    const tooMany = Array.from({ length: 1_001 }, (_, i) => `id-${i}`);
    expect(errorOf(() => checkIds(tooMany, 'ids', 1_000))).toMatchObject({
      status: 400,
      code: 'too_many_ids',
      message: '"ids" names 1001 ids; at most 1000 per request',
    });
  });
});

describe('intParam', () => {
  const range = { min: 1, max: 100, default: 20 };

  it('gives the default when absent, and the number when in range', () => {
    expect(intParam({}, 'limit', range)).toBe(20);
    expect(intParam({ limit: '1' }, 'limit', range)).toBe(1);
    expect(intParam({ limit: '100' }, 'limit', range)).toBe(100);
  });

  it.each(['0', '101', '-5', '2.5', 'ten', ''])('refuses %j', (text) => {
    expect(errorOf(() => intParam({ limit: text }, 'limit', range))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      message: '"limit" must be a whole number from 1 to 100',
    });
  });

  it('refuses a parameter given twice', () => {
    expect(errorOf(() => intParam({ limit: ['1', '2'] }, 'limit', range)).message).toBe(
      '"limit" must be given once',
    );
  });
});

describe('enumParam and stringParam', () => {
  const statuses = ['OPEN', 'PAID'] as const;

  it('gives undefined when absent and the value when allowed', () => {
    expect(enumParam({}, 'status', statuses)).toBeUndefined();
    expect(enumParam({ status: 'PAID' }, 'status', statuses)).toBe('PAID');
    expect(stringParam({}, 'after')).toBeUndefined();
    expect(stringParam({ after: 'A0000001' }, 'after')).toBe('A0000001');
  });

  it('refuses a value outside the list, naming the allowed ones', () => {
    expect(errorOf(() => enumParam({ status: 'paid' }, 'status', statuses))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      message: '"status" must be one of OPEN, PAID',
    });
  });

  it('refuses a parameter given twice', () => {
    expect(errorOf(() => stringParam({ after: ['a', 'b'] }, 'after')).message).toBe(
      '"after" must be given once',
    );
    expect(errorOf(() => enumParam({ status: ['OPEN'] }, 'status', statuses)).status).toBe(400);
  });
});

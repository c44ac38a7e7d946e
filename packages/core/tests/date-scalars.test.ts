import { GraphQLError, parseValue as parseValueNode } from 'graphql';
import { describe, expect, it } from 'vitest';

import { DateScalar, DateTimeScalar } from '../src/graphql/scalars.js';

function rejection(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a GraphQLError');
}

describe('DateTime scalar', () => {
  it.each([
    '2025-03-14T09:26:53Z',
    '2025-03-14T09:26:53.123Z',
    '2025-03-14T09:26:53.123456789Z',
    '2025-03-14T09:26:53+01:00',
    '2025-03-14T23:59:59-05:30',
    '2024-02-29T00:00:00Z',
    '2025-03-14t09:26:53z',
  ])('accepts %s unchanged', (value) => {
    expect(DateTimeScalar.serialize(value)).toBe(value);
    expect(DateTimeScalar.parseValue(value)).toBe(value);
    expect(DateTimeScalar.parseLiteral(parseValueNode(JSON.stringify(value)))).toBe(value);
  });

  it('serializes a Date as an ISO string in UTC', () => {
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2025, 2, 14, 9, 26, 53, 7)))).toBe(
      '2025-03-14T09:26:53.007Z',
    );
  });

  it.each([
    ['a date without time', '2025-03-14'],
    ['no offset', '2025-03-14T09:26:53'],
    ['a space for T', '2025-03-14 09:26:53Z'],
    ['month 13', '2025-13-01T00:00:00Z'],
    ['hour 25', '2025-03-14T25:00:00Z'],
    ['minute 60', '2025-03-14T23:60:00Z'],
    ['February 30', '2025-02-30T10:00:00Z'],
    ['April 31', '2025-04-31T10:00:00+02:00'],
    ['February 29 of a common year', '2025-02-29T00:00:00Z'],
    ['an offset of 24 h', '2025-03-14T09:26:53+24:00'],
    ['ten fraction digits', '2025-03-14T09:26:53.1234567890Z'],
    ['words', 'yesterday'],
    ['an empty string', ''],
  ])('rejects %s', (_label, value) => {
    for (const parse of [DateTimeScalar.parseValue, DateTimeScalar.serialize]) {
      const error = rejection(() => parse.call(DateTimeScalar, value));
      expect(error.message).toBe(
        `DateTime must look like 2025-03-14T09:26:53Z; got ${JSON.stringify(value)}.`,
      );
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it.each([1_741_944_413_000, null, undefined, true, {}, ['2025-03-14T09:26:53Z']])(
    'rejects the non-string %j',
    (value) => {
      expect(rejection(() => DateTimeScalar.parseValue(value)).extensions.code).toBe(
        'BAD_USER_INPUT',
      );
      expect(rejection(() => DateTimeScalar.serialize(value)).extensions.code).toBe(
        'BAD_USER_INPUT',
      );
    },
  );

  it('rejects a literal that is not a string', () => {
    const error = rejection(() => DateTimeScalar.parseLiteral(parseValueNode('20250314')));
    expect(error.message).toBe('DateTime must be a string like 2025-03-14T09:26:53Z.');
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('Date scalar', () => {
  it.each(['2025-03-14', '2024-02-29', '2025-12-31', '1999-01-01'])('accepts %s', (value) => {
    expect(DateScalar.serialize(value)).toBe(value);
    expect(DateScalar.parseValue(value)).toBe(value);
    expect(DateScalar.parseLiteral(parseValueNode(`"${value}"`))).toBe(value);
  });

  it('serializes a Date as its UTC calendar day', () => {
    expect(DateScalar.serialize(new Date(Date.UTC(2025, 2, 14, 23, 59)))).toBe('2025-03-14');
  });

  it.each([
    ['a date-time', '2025-03-14T00:00:00Z'],
    ['single-digit month', '2025-3-14'],
    ['no separators', '20250314'],
    ['slashes', '2025/03/14'],
    ['month 13', '2025-13-01'],
    ['day 32', '2025-01-32'],
    ['February 30', '2025-02-30'],
    ['February 29 of a common year', '2025-02-29'],
    ['April 31', '2025-04-31'],
    ['an empty string', ''],
  ])('rejects %s', (_label, value) => {
    const error = rejection(() => DateScalar.parseValue(value));
    expect(error.message).toBe(`Date must look like 2025-03-14; got ${JSON.stringify(value)}.`);
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });

  it.each([20250314, null, false, {}])('rejects the non-string %j', (value) => {
    expect(rejection(() => DateScalar.parseValue(value)).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a literal that is not a string', () => {
    const error = rejection(() => DateScalar.parseLiteral(parseValueNode('true')));
    expect(error.message).toBe('Date must be a string like 2025-03-14.');
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('an invalid Date object', () => {
  it('is a BAD_USER_INPUT GraphQL error, not a RangeError', () => {
    for (const scalar of [DateTimeScalar, DateScalar]) {
      expect(rejection(() => scalar.serialize(new Date(Number.NaN))).extensions.code).toBe(
        'BAD_USER_INPUT',
      );
    }
  });
});

import { describe, expect, it } from 'vitest';

import { centsToDecimal, decimalToCents, percentOf } from '../src/world/money.js';

describe('centsToDecimal', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [100, '1.00'],
    [123_456_789, '1234567.89'],
    [-5, '-0.05'],
    [-150, '-1.50'],
    [-123_456, '-1234.56'],
  ])('writes %i cents as %s', (cents, text) => {
    expect(centsToDecimal(cents)).toBe(text);
  });
});

describe('decimalToCents', () => {
  it.each([
    ['0.00', 0],
    ['0.05', 5],
    ['1.5', 150],
    ['12', 1_200],
    ['1234567.89', 123_456_789],
    ['-0.05', -5],
    ['-1.5', -150],
    ['-1234.56', -123_456],
  ])('reads %s as %i cents', (text, cents) => {
    expect(decimalToCents(text)).toBe(cents);
  });

  it.each(['', 'abc', '1.234', '.5', '1.', '+1.00', '1,50', ' 1.00', '1e3', '--1'])(
    'refuses %j',
    (text) => {
      expect(() => decimalToCents(text)).toThrow(`not a decimal amount: ${text}`);
    },
  );

  it('round-trips with centsToDecimal', () => {
    for (const cents of [0, 1, 99, 100, 101, 9_999_999, -1, -99, -100, -101]) {
      expect(decimalToCents(centsToDecimal(cents))).toBe(cents);
    }
  });
});

describe('percentOf (basis points, half away from zero)', () => {
  it.each([
    [10_000, 1_900, 1_900],
    [12_345, 10_000, 12_345],
    [12_345, 10_850, 13_394], // 13,394.325
    [12_345, 8_550, 10_555], // 10,554.975
    [5, 5_000, 3], // 2.5 up
    [3, 5_000, 2], // 1.5 up
    [1, 4_999, 0], // 0.4999 down
    [-5, 5_000, -3], // -2.5 away from zero
    [-3, 5_000, -2],
    [-12_345, 1_900, -2_346], // -2,345.55
    [0, 1_900, 0],
    [999, 0, 0],
  ])('percentOf(%i, %i) = %i', (cents, bp, expected) => {
    expect(percentOf(cents, bp)).toBe(expected);
  });

  it('is symmetric around zero', () => {
    for (const cents of [1, 5, 15, 25, 12_345, 99_995]) {
      for (const bp of [1_900, 2_000, 5_000, 10_850]) {
        expect(percentOf(-cents, bp)).toBe(-percentOf(cents, bp));
      }
    }
  });
});

import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';

import { money, subtractMoney } from '../src/graphql/money.js';

describe('money', () => {
  it.each(['0', '12', '12.50', '-3', '-0.001', '123456789012345678901234567890.99'])(
    'accepts the amount %j',
    (amount) => {
      expect(money(amount, 'EUR')).toStrictEqual({ amount, currency: 'EUR' });
    },
  );

  it.each(['', '12.', '.5', '+1', '1e3', '12,50', ' 1', '1 ', 'abc', '--1', '1.2.3', 'NaN'])(
    'rejects the amount %j',
    (amount) => {
      expect(() => money(amount, 'EUR')).toThrow(GraphQLError);
    },
  );

  it.each(['', 'eur', 'EURO', 'EU', 'E1R', ' EUR'])('rejects the currency %j', (currency) => {
    expect(() => money('1.00', currency)).toThrow(GraphQLError);
  });

  it('fails as an internal error, since the bad value came from an upstream', () => {
    let error: unknown;
    try {
      money('1,5', 'EUR');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).message).toBe('An upstream system sent a malformed amount.');
    expect((error as GraphQLError).extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('subtractMoney', () => {
  const eur = (amount: string) => money(amount, 'EUR');

  it.each([
    ['10.50', '0.25', '10.25'],
    ['10.5', '0.25', '10.25'],
    ['100', '0.01', '99.99'],
    ['0.3', '0.1', '0.2'],
    ['1', '2.50', '-1.50'],
    ['0.10', '0.3', '-0.20'],
    ['3', '5', '-2'],
    ['-1.5', '-2', '0.5'],
    ['-1.5', '2', '-3.5'],
    ['5.00', '5', '0.00'],
    ['0.001', '0.002', '-0.001'],
    ['12345678901234567890.12', '0.01', '12345678901234567890.11'],
  ])('%s − %s = %s', (a, b, expected) => {
    expect(subtractMoney(eur(a), eur(b))).toStrictEqual({ amount: expected, currency: 'EUR' });
  });

  it('is exact where floating point is not', () => {
    expect(0.3 - 0.1).not.toBe(0.2);
    expect(subtractMoney(eur('0.30'), eur('0.10')).amount).toBe('0.20');
  });

  it('refuses to subtract different currencies', () => {
    expect(() => subtractMoney(money('1', 'EUR'), money('1', 'USD'))).toThrow(
      'cannot subtract USD from EUR',
    );
  });
});

import { GraphQLError } from 'graphql';

/** The canonical money value: a decimal string and an ISO 4217 code, never a float. */
export interface Money {
  amount: string;
  currency: string;
}

const decimal = /^-?\d+(\.\d+)?$/;
const currencyCode = /^[A-Z]{3}$/;

/** Money from an upstream's decimal string, checked so a malformed amount fails loudly. */
export function money(amount: string, currency: string): Money {
  if (!decimal.test(amount) || !currencyCode.test(currency)) {
    throw new GraphQLError('An upstream system sent a malformed amount.', {
      extensions: { code: 'INTERNAL_SERVER_ERROR', amount, currency },
    });
  }
  return { amount, currency };
}

/** a − b in exact decimal arithmetic (BigInt, scaled to the longer fraction). */
export function subtractMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new Error(`cannot subtract ${b.currency} from ${a.currency}`);
  }
  const scale = Math.max(fractionDigits(a.amount), fractionDigits(b.amount));
  const result = toScaled(a.amount, scale) - toScaled(b.amount, scale);
  return { amount: fromScaled(result, scale), currency: a.currency };
}

function fractionDigits(amount: string): number {
  const dot = amount.indexOf('.');
  return dot === -1 ? 0 : amount.length - dot - 1;
}

function toScaled(amount: string, scale: number): bigint {
  const negative = amount.startsWith('-');
  const [units = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const value = BigInt(units + fraction.padEnd(scale, '0'));
  return negative ? -value : value;
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

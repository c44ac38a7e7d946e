// Money in the sandbox is integer minor units (cents) until it is written
// out as a decimal string, so no amount ever passes through a float.

export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function decimalToCents(decimal: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(decimal);
  if (!match) throw new Error(`not a decimal amount: ${decimal}`);
  const [, sign, units, fraction = ''] = match;
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

/** Rounds half away from zero, as invoicing does. */
export function percentOf(cents: number, basisPoints: number): number {
  return Math.sign(cents) * Math.round((Math.abs(cents) * basisPoints) / 10_000);
}

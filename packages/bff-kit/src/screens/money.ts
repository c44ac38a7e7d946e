/** Money as the graph has it: an exact decimal string and an ISO 4217 code. */
export interface Money {
  amount: string;
  currency: string;
}

/** Money as a screen renders it: exact, and preformatted for display. */
export interface DisplayMoney extends Money {
  display: string;
}

/** `{ amount, currency, display }`: the exact amount goes alongside the display string. */
export function moneyOf(money: Money): DisplayMoney {
  return { amount: money.amount, currency: money.currency, display: displayMoney(money) };
}

/** "€12.50", "$12.50": English symbols and grouping; the exact amount goes alongside. */
export function displayMoney({ amount, currency }: Money): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(amount));
  } catch {
    // An ISO code Intl does not know.
    return `${amount} ${currency}`;
  }
}

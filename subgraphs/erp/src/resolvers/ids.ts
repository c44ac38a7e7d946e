import { badUserInput } from '@bff/core';

/** ERP document ids are numbers; anything else cannot name an order or invoice. */
export function erpDocumentId(value: string, argument: string): string {
  if (!/^\d{1,18}$/.test(value)) {
    throw badUserInput(`"${argument}" must be a numeric ERP id; got ${JSON.stringify(value)}.`, {
      argument,
    });
  }
  return value;
}

/** A key the ERP could hold: printable, bounded, so it is safe in a URL. */
export function erpKey(value: string, argument: string): string {
  if (!/^[\w.:-]{1,64}$/.test(value)) {
    throw badUserInput(`"${argument}" is not a valid key; got ${JSON.stringify(value)}.`, {
      argument,
    });
  }
  return value;
}

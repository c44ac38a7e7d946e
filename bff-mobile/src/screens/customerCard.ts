import { moneyOf, oneObjectScreenHandler, withoutNulls } from '@bff/bff-kit';
import type { DisplayMoney, GatewayClient, Money, TrustedDocument } from '@bff/bff-kit';

export interface OpenOrder {
  id: string;
  number: string;
  status: string;
  placedOn: string;
  total: DisplayMoney;
}

/**
 * `GET /m/v1/customers/:id`; absent keys are values the graph did not have
 * or the caller may not see (email and phone need crm:pii).
 */
export interface CustomerCard {
  id: string;
  name?: string;
  company?: string;
  segment?: string;
  email?: string;
  phone?: string;
  activities?: { type: string; subject: string; at: string }[];
  openOrders?: OpenOrder[];
  partial?: string[];
}

interface OrderNodes {
  nodes: {
    id: string;
    number: string;
    status: string;
    orderDate: string;
    total: Money;
  }[];
}

interface CustomerCardData {
  id: string;
  name: string | null;
  company: string | null;
  segment: string | null;
  email?: string | null;
  phone?: string | null;
  activities: { nodes: { type: string; subject: string; occurredAt: string }[] } | null;
  pending: OrderNodes | null;
  confirmed: OrderNodes | null;
}

/** Open orders (pending or confirmed) the card shows, newest first. */
export const maxOpenOrders = 3;

/** `GET /m/v1/customers/:id` */
export function customerCardHandler(gateway: GatewayClient, document: TrustedDocument) {
  return oneObjectScreenHandler(gateway, document, {
    root: 'customer',
    idName: 'a customer id',
    notFound: (id) => `No customer ${id}.`,
    shape: customerCardOf,
    partOf: (path) =>
      path.includes('activities')
        ? 'activities'
        : path.includes('pending') || path.includes('confirmed')
          ? 'orders'
          : 'customer',
  });
}

export function customerCardOf(customer: CustomerCardData): CustomerCard {
  const card: CustomerCard = withoutNulls({
    id: customer.id,
    name: customer.name,
    company: customer.company,
    segment: customer.segment,
    email: customer.email,
    phone: customer.phone,
  }) as CustomerCard;
  if (customer.activities)
    card.activities = customer.activities.nodes.map((a) => ({
      type: a.type,
      subject: a.subject,
      at: a.occurredAt,
    }));
  if (customer.pending || customer.confirmed)
    card.openOrders = [...(customer.pending?.nodes ?? []), ...(customer.confirmed?.nodes ?? [])]
      .sort((a, b) => b.orderDate.localeCompare(a.orderDate) || b.number.localeCompare(a.number))
      .slice(0, maxOpenOrders)
      .map((o) => ({
        id: o.id,
        number: o.number,
        status: o.status,
        placedOn: o.orderDate,
        total: moneyOf(o.total),
      }));
  return card;
}

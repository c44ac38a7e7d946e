import { moneyOf, oneObjectScreenHandler, withoutNulls } from '@bff/bff-kit';
import type { DisplayMoney, GatewayClient, Money, TrustedDocument } from '@bff/bff-kit';

interface OverviewOrderData {
  id: string;
  number: string;
  status: string;
  orderDate: string;
  fulfilmentStatus: string | null;
  total: Money;
}

interface CustomerOverviewData {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  segment: string | null;
  createdAt: string | null;
  accountManager: { id: string; name: string; email: string } | null;
  activities: {
    nodes: {
      id: string;
      type: string;
      subject: string;
      occurredAt: string;
      owner: { name: string } | null;
    }[];
    pageInfo: { hasNextPage: boolean };
  } | null;
  pending: { nodes: OverviewOrderData[] } | null;
  confirmed: { nodes: OverviewOrderData[] } | null;
  account: {
    accountNumber: string;
    currency: string;
    creditLimit: Money;
    balance: Money;
    availableCredit: Money;
    paymentTerms: string;
    blocked: boolean;
  } | null;
}

export interface OverviewOrder {
  id: string;
  number: string;
  status: string;
  placedOn: string;
  fulfilment?: string;
  total: DisplayMoney;
}

/**
 * `GET /pages/customers/:id`: the CRM profile, recent activities, open
 * orders and (for a user with finance:read) the ERP account. Absent keys are
 * values the graph did not have or the user may not see; `partial` names
 * what an upstream failed to fill.
 */
export interface CustomerOverview {
  customer: {
    id: string;
    name?: string;
    email?: string;
    phone?: string;
    company?: string;
    segment?: string;
    customerSince?: string;
    accountManager?: { id: string; name: string; email: string };
  };
  activities: {
    id: string;
    type: string;
    subject: string;
    occurredAt: string;
    owner?: string;
  }[];
  moreActivities: boolean;
  openOrders: OverviewOrder[];
  account?: {
    accountNumber: string;
    currency: string;
    creditLimit: DisplayMoney;
    balance: DisplayMoney;
    availableCredit: DisplayMoney;
    paymentTerms: string;
    blocked: boolean;
  };
  partial?: string[];
}

/** `GET /pages/customers/:id` */
export function customerOverviewHandler(gateway: GatewayClient, document: TrustedDocument) {
  return oneObjectScreenHandler(gateway, document, {
    root: 'customer',
    idName: 'a customer id',
    notFound: (id) => `No customer ${id}.`,
    shape: customerOverviewOf,
    partOf: (path) => {
      if (path.includes('activities')) return 'activities';
      if (path.includes('pending') || path.includes('confirmed')) return 'orders';
      if (path.includes('account')) return 'account';
      return 'customer';
    },
  });
}

export function customerOverviewOf(customer: CustomerOverviewData): CustomerOverview {
  const openOrders = [...(customer.pending?.nodes ?? []), ...(customer.confirmed?.nodes ?? [])]
    // Newest first across both statuses; ISO dates sort as text.
    .sort((a, b) => b.orderDate.localeCompare(a.orderDate) || b.number.localeCompare(a.number))
    .map((order) => ({
      id: order.id,
      number: order.number,
      status: order.status,
      placedOn: order.orderDate,
      fulfilment: order.fulfilmentStatus ?? undefined,
      total: moneyOf(order.total),
    }));
  const { account } = customer;
  return withoutNulls({
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      company: customer.company,
      segment: customer.segment,
      customerSince: customer.createdAt,
      accountManager: customer.accountManager,
    },
    activities: (customer.activities?.nodes ?? []).map((activity) => ({
      id: activity.id,
      type: activity.type,
      subject: activity.subject,
      occurredAt: activity.occurredAt,
      owner: activity.owner?.name,
    })),
    moreActivities: customer.activities?.pageInfo.hasNextPage ?? false,
    openOrders,
    account: account
      ? {
          accountNumber: account.accountNumber,
          currency: account.currency,
          creditLimit: moneyOf(account.creditLimit),
          balance: moneyOf(account.balance),
          availableCredit: moneyOf(account.availableCredit),
          paymentTerms: account.paymentTerms,
          blocked: account.blocked,
        }
      : undefined,
  }) as CustomerOverview;
}

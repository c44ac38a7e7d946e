import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The raw upstream records, as the sandboxes serve them. The expectations
// below map them independently of the subgraphs' mappers, so a mapping bug
// cannot hide behind itself.
interface RawOrder {
  doc_id: number;
  order_number: string;
  client_number: string;
  status: string;
  order_date: string;
  currency: string;
  gross_amount: string;
  lines: { line_no: number; sku: string; qty: number; unit_price: string }[];
}
interface RawClient {
  client_number: string;
  crm_contact_id: string;
  currency: string;
  credit_limit: string;
  balance: string;
  payment_terms: string;
  blocked: boolean;
}
interface RawContact {
  contactId: string;
  firstName: string;
  lastName: string;
  emailAddress: string;
  phoneNumber: string;
  companyName: string;
  tier: string;
  ownerId: string;
}
interface RawStock {
  item_code: string;
  levels: { site_id: string; qty_on_hand: number; qty_allocated: number }[];
}

const CUSTOMER_360 = /* GraphQL */ `
  query Customer360($id: ID!) {
    customer(id: $id) {
      id
      name
      email
      phone
      company
      segment
      accountManager {
        id
        name
        email
      }
      account {
        accountNumber
        currency
        creditLimit {
          amount
          currency
        }
        balance {
          amount
          currency
        }
        availableCredit {
          amount
          currency
        }
        paymentTerms
        blocked
      }
      orders(first: 3) {
        nodes {
          id
          number
          status
          orderDate
          total {
            amount
            currency
          }
          lines {
            lineNumber
            quantity
            unitPrice {
              amount
              currency
            }
            product {
              sku
              name
              stock {
                onHand
                reserved
                available
              }
              inStock
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`;

const statusOf: Record<string, string> = {
  OPEN: 'PENDING',
  RELEASED: 'CONFIRMED',
  SHIPPED: 'SHIPPED',
  INVOICED: 'INVOICED',
  CANCELLED: 'CANCELLED',
};
const segmentOf: Record<string, string> = {
  STRATEGIC: 'ENTERPRISE',
  KEY: 'MID_MARKET',
  STANDARD: 'SMALL_BUSINESS',
  PROSPECT: 'PROSPECT',
};
const termsOf: Record<string, string> = {
  PREPAID: 'PREPAID',
  NET15: 'NET_15',
  NET30: 'NET_30',
  NET60: 'NET_60',
};

const cents = (amount: string) => Math.round(Number(amount) * 100);
const decimal = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

describe('a query crossing all three subgraphs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('returns exactly what the ERP, CRM and inventory hold, in the canonical model', async () => {
    const { erp, crm, inventory } = stack.sandboxes;
    // A customer with an ERP account and several orders: the newest order's customer.
    const [newest] = (await erp.reader.get<{ data: RawOrder[] }>('/orders?limit=1')).data;
    const client = await erp.reader.get<RawClient>(`/clients/${newest!.client_number}`);
    const contact = await crm.reader.get<RawContact>(`/contacts/${client.crm_contact_id}`);
    const owner = await crm.reader.get<{
      userId: string;
      displayName: string;
      emailAddress: string;
    }>(`/users/${contact.ownerId}`);
    const orders = await erp.reader.get<{ data: RawOrder[]; has_more: boolean }>(
      `/orders?client_number=${client.client_number}&limit=3`,
    );
    const skus = [...new Set(orders.data.flatMap((o) => o.lines.map((l) => l.sku)))];
    const products = await erp.reader.post<{ data: { sku: string; title: string }[] }>(
      '/products/batch-get',
      {
        ids: skus,
      },
    );
    const stock = await inventory.reader.post<{ results: RawStock[] }>('/stock/batch-get', {
      item_codes: skus,
    });
    const nameOf = new Map(products.data.map((p) => [p.sku, p.title]));
    const stockOf = new Map(
      stock.results.map((s) => {
        const onHand = s.levels.reduce((sum, l) => sum + l.qty_on_hand, 0);
        const reserved = s.levels.reduce((sum, l) => sum + l.qty_allocated, 0);
        const available = s.levels.reduce(
          (sum, l) => sum + Math.max(0, l.qty_on_hand - l.qty_allocated),
          0,
        );
        return [s.item_code, { onHand, reserved, available }];
      }),
    );

    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query: CUSTOMER_360,
        variables: { id: contact.contactId },
      },
      stack.fullAccess,
    );

    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data).toEqual({
      customer: {
        id: contact.contactId,
        name: `${contact.firstName} ${contact.lastName}`,
        email: contact.emailAddress,
        phone: contact.phoneNumber,
        company: contact.companyName,
        segment: segmentOf[contact.tier],
        accountManager: { id: owner.userId, name: owner.displayName, email: owner.emailAddress },
        account: {
          accountNumber: client.client_number,
          currency: client.currency,
          creditLimit: { amount: client.credit_limit, currency: client.currency },
          balance: { amount: client.balance, currency: client.currency },
          availableCredit: {
            amount: decimal(cents(client.credit_limit) - cents(client.balance)),
            currency: client.currency,
          },
          paymentTerms: termsOf[client.payment_terms],
          blocked: client.blocked,
        },
        orders: {
          nodes: orders.data.map((o) => ({
            id: String(o.doc_id),
            number: o.order_number,
            status: statusOf[o.status],
            orderDate: o.order_date,
            total: { amount: o.gross_amount, currency: o.currency },
            lines: o.lines.map((l) => ({
              lineNumber: l.line_no,
              quantity: l.qty,
              unitPrice: { amount: l.unit_price, currency: o.currency },
              product: {
                sku: l.sku,
                name: nameOf.get(l.sku),
                stock: stockOf.get(l.sku),
                inStock: (stockOf.get(l.sku)?.available ?? 0) > 0,
              },
            })),
          })),
          pageInfo: { hasNextPage: orders.has_more },
        },
      },
    });
  });

  it('gives a prospect (in the CRM only) a null ERP account and no orders', async () => {
    const { crm } = stack.sandboxes;
    const prospects = await crm.reader.get<{ items: RawContact[] }>(
      '/contacts?tier=PROSPECT&pageSize=1',
    );
    const prospect = prospects.items[0]!;
    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query:
          'query($id: ID!) { customer(id: $id) { name account { balance { amount } } orders(first: 5) { nodes { id } } } }',
        variables: { id: prospect.contactId },
      },
      stack.fullAccess,
    );
    expect(result.body).toEqual({
      data: {
        customer: {
          name: `${prospect.firstName} ${prospect.lastName}`,
          account: null,
          orders: { nodes: [] },
        },
      },
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeErpClient } from '../src/erp/FakeErpClient.js';
import type { ErpOrderStatus } from '../src/erp/types.js';
import { createTestServer } from './createTestServer.js';
import { erpClient, erpInvoice, erpOrder, erpProduct } from './fixtures.js';

// The ERP's vocabulary (OPEN, RELEASED, title, product_group, decimal strings)
// becomes the canonical model, and canonical filters go back as ERP values.

const statusPairs: [ErpOrderStatus, string][] = [
  ['OPEN', 'PENDING'],
  ['RELEASED', 'CONFIRMED'],
  ['SHIPPED', 'SHIPPED'],
  ['INVOICED', 'INVOICED'],
  ['CANCELLED', 'CANCELLED'],
];

describe('order and product mapping', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('maps every ERP order status to its canonical status', async () => {
    const client = erpClient();
    const product = erpProduct();
    const orders = statusPairs.map(([status]) => erpOrder(client, [product], { status }));
    const fake = new FakeErpClient({ clients: [client], products: [product], orders });

    const result = await server.run<{ orders: { nodes: { id: string; status: string }[] } }>(
      fake,
      `query { orders(first: 10) { nodes { id status } } }`,
    );

    expect(result.errors).toBeUndefined();
    const statusOf = new Map(result.data?.orders.nodes.map((n) => [n.id, n.status]));
    expect(orders.map((o) => statusOf.get(String(o.doc_id)))).toEqual(
      statusPairs.map(([, canonical]) => canonical),
    );
  });

  it.each(statusPairs)(
    'orders(status: …) asks the ERP for %s and returns only those orders',
    async (erpStatus, canonical) => {
      const client = erpClient();
      const product = erpProduct();
      const orders = statusPairs.flatMap(([status]) => [
        erpOrder(client, [product], { status }),
        erpOrder(client, [product], { status }),
      ]);
      const fake = new FakeErpClient({ clients: [client], products: [product], orders });

      const result = await server.run<{ orders: { nodes: { id: string; status: string }[] } }>(
        fake,
        `query ($s: OrderStatus) { orders(first: 20, status: $s) { nodes { id status } } }`,
        { s: canonical },
      );

      expect(result.errors).toBeUndefined();
      expect(fake.callsTo('listOrders')).toEqual([
        [{ limit: 20, afterKey: undefined, filter: { status: erpStatus } }],
      ]);
      const expected = orders
        .filter((o) => o.status === erpStatus)
        .sort((a, b) => b.doc_id - a.doc_id)
        .map((o) => ({ id: String(o.doc_id), status: canonical }));
      expect(result.data?.orders.nodes).toEqual(expected);
    },
  );

  it("a customer's orders(status: CONFIRMED) asks the ERP for RELEASED orders", async () => {
    const client = erpClient();
    const product = erpProduct();
    const released = erpOrder(client, [product], { status: 'RELEASED' });
    const fake = new FakeErpClient({
      clients: [client],
      products: [product],
      orders: [erpOrder(client, [product], { status: 'OPEN' }), released],
    });

    const result = await server.run<{ _entities: { orders: { nodes: { id: string }[] } }[] }>(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Customer {
              orders(first: 5, status: CONFIRMED) {
                nodes {
                  id
                }
              }
            }
          }
        }
      `,
      { r: [{ __typename: 'Customer', id: client.crm_contact_id }] },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities[0]?.orders.nodes).toEqual([{ id: String(released.doc_id) }]);
    expect(fake.callsTo('ordersOfClients')).toEqual([
      [[client.client_number], { limit: 5, afterKey: undefined, filter: { status: 'RELEASED' } }],
    ]);
  });

  it('money is exact decimal strings with the order currency, never floats', async () => {
    const client = erpClient({ currency: 'USD' });
    const a = erpProduct({ list_price: '0.10', currency: 'USD' });
    const b = erpProduct({ list_price: '1234.50', currency: 'USD' });
    const order = erpOrder(client, [a, b], {
      net_amount: '2469.10',
      tax_amount: '0.00',
      gross_amount: '2469.10',
    });
    const fake = new FakeErpClient({ clients: [client], products: [a, b], orders: [order] });

    const result = await server.run(
      fake,
      /* GraphQL */ `
        query ($id: ID!) {
          order(id: $id) {
            number
            currency
            orderDate
            createdAt
            subtotal {
              amount
              currency
            }
            tax {
              amount
              currency
            }
            total {
              amount
              currency
            }
            lines {
              lineNumber
              description
              quantity
              unitPrice {
                amount
                currency
              }
              lineTotal {
                amount
                currency
              }
            }
          }
        }
      `,
      { id: String(order.doc_id) },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      order: {
        number: order.order_number,
        currency: 'USD',
        orderDate: '2025-03-14',
        createdAt: '2025-03-14T09:26:53Z',
        subtotal: { amount: '2469.10', currency: 'USD' },
        tax: { amount: '0.00', currency: 'USD' },
        total: { amount: '2469.10', currency: 'USD' },
        lines: [
          {
            lineNumber: 10,
            description: a.title,
            quantity: 1,
            unitPrice: { amount: '0.10', currency: 'USD' },
            lineTotal: { amount: '0.10', currency: 'USD' },
          },
          {
            lineNumber: 20,
            description: b.title,
            quantity: 2,
            unitPrice: { amount: '1234.50', currency: 'USD' },
            lineTotal: { amount: '2469.00', currency: 'USD' },
          },
        ],
      },
    });
  });

  it('maps a product: title → name, product_group → category, uom → unit, discontinued → inactive', async () => {
    const product = erpProduct({
      title: 'Torque wrench',
      description: '3/8" drive, 20–100 Nm',
      product_group: 'hand-tools',
      list_price: '89.90',
      standard_cost: '41.125',
      currency: 'GBP',
      uom: 'BOX',
      status: 'discontinued',
    });
    const fake = new FakeErpClient({ products: [product] });

    const result = await server.run(
      fake,
      /* GraphQL */ `
        query ($sku: ID!) {
          product(sku: $sku) {
            sku
            name
            description
            category
            unit
            active
            price {
              amount
              currency
            }
            unitCost {
              amount
              currency
            }
          }
        }
      `,
      { sku: product.sku },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      product: {
        sku: product.sku,
        name: 'Torque wrench',
        description: '3/8" drive, 20–100 Nm',
        category: 'hand-tools',
        unit: 'BOX',
        active: false,
        price: { amount: '89.90', currency: 'GBP' },
        unitCost: { amount: '41.125', currency: 'GBP' },
      },
    });
  });

  it("an order's invoice maps amounts and status, and links back to the order and customer", async () => {
    const client = erpClient();
    const product = erpProduct();
    const order = erpOrder(client, [product], { status: 'INVOICED' });
    const invoice = erpInvoice(order, { open_amount: '0.00', status: 'PAID' });
    const fake = new FakeErpClient({
      clients: [client],
      products: [product],
      orders: [order],
      invoices: [invoice],
    });

    const result = await server.run(
      fake,
      /* GraphQL */ `
        query ($id: ID!) {
          order(id: $id) {
            invoice {
              id
              number
              issuedOn
              dueOn
              status
              total {
                amount
                currency
              }
              amountDue {
                amount
                currency
              }
              order {
                id
              }
              customer {
                id
              }
            }
          }
        }
      `,
      { id: String(order.doc_id) },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      order: {
        invoice: {
          id: String(invoice.invoice_id),
          number: invoice.invoice_number,
          issuedOn: '2025-03-15',
          dueOn: '2025-04-14',
          status: 'PAID',
          total: { amount: order.gross_amount, currency: 'EUR' },
          amountDue: { amount: '0.00', currency: 'EUR' },
          order: { id: String(order.doc_id) },
          customer: { id: client.crm_contact_id },
        },
      },
    });
    // The order came from the batch read; the invoice's link back to it is a cache hit.
    expect(fake.callsTo('ordersById')).toEqual([[[String(order.doc_id)]]]);
  });
});

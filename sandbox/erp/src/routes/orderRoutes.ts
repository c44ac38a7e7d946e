import {
  IdempotencyStore,
  SandboxHttpError,
  enumParam,
  idList,
  intParam,
  stringParam,
} from '@bff/sandbox-kit';
import type { Sandbox } from '@bff/sandbox-kit';

import { orderStatuses } from '../ErpStore.js';
import type { ErpStore, NewOrder } from '../ErpStore.js';
import { batchIds, batchResult } from './batch.js';
import { limits } from './limits.js';

export function orderRoutes(sandbox: Sandbox, store: ErpStore): void {
  const idempotency = new IdempotencyStore();

  sandbox.route('GET', '/orders', (req) => {
    const ids = idList(req.query, 'ids', limits.idsPerGet);
    if (ids) return batchResult(ids, (id) => store.order(id));
    const clientNumber = stringParam(req.query, 'client_number');
    const status = enumParam(req.query, 'status', orderStatuses);
    const page = store.listOrders(
      {
        ...(clientNumber !== undefined ? { client_number: clientNumber } : {}),
        ...(status ? { status } : {}),
      },
      stringParam(req.query, 'starting_after'),
      intParam(req.query, 'limit', limits.page),
    );
    return { object: 'list', data: page.items, has_more: page.hasMore };
  });

  sandbox.route('POST', '/orders/batch-get', (req) => {
    const ids = batchIds(req.body, 'ids');
    if (!ids) throw new SandboxHttpError(400, 'parameter_missing', 'give "ids"');
    return batchResult(ids, (id) => store.order(id));
  });

  // One page of orders for each of many clients in one call, so a list of
  // customers with their recent orders is one request, not one per customer.
  sandbox.route('GET', '/orders/by-client', (req) => {
    const clientNumbers = idList(req.query, 'client_numbers', limits.clientsPerCall);
    if (!clientNumbers)
      throw new SandboxHttpError(400, 'parameter_missing', 'give "client_numbers"');
    const status = enumParam(req.query, 'status', orderStatuses);
    const after = stringParam(req.query, 'starting_after');
    if (after !== undefined && clientNumbers.length > 1) {
      throw new SandboxHttpError(
        400,
        'invalid_parameter',
        '"starting_after" needs exactly one client number',
      );
    }
    const limit = intParam(req.query, 'limit', limits.page);
    return {
      object: 'list',
      data: clientNumbers.map((clientNumber) => {
        const page = store.clientOrders(clientNumber, status, after, limit);
        return { client_number: clientNumber, data: page.items, has_more: page.hasMore };
      }),
    };
  });

  sandbox.route('GET', '/orders/:doc_id', (req) => {
    const order = store.order(String(req.params.doc_id));
    if (!order)
      throw new SandboxHttpError(404, 'resource_missing', `no order ${req.params.doc_id}`);
    return order;
  });

  // Prices an order without creating it: what the order would cost the client, tax included.
  sandbox.route('POST', '/orders/quote', (req) => store.quoteOrder(req.body as NewOrder));

  sandbox.route('POST', '/orders', async (req, res) => {
    const key = req.headers['idempotency-key'];
    const outcome = await idempotency.run(
      typeof key === 'string' ? key : undefined,
      'POST /orders',
      req.body,
      async () => ({ status: 201, body: store.createOrder(req.body as NewOrder) }),
    );
    if (outcome.replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(outcome.status).json(outcome.body);
  });

  // Cancelling answers the order with the reservation it named, which the
  // caller releases in the WMS (the ERP does not talk to the WMS itself).
  sandbox.route('POST', '/orders/:doc_id/cancel', async (req, res) => {
    const docId = String(req.params.doc_id);
    const key = req.headers['idempotency-key'];
    const outcome = await idempotency.run(
      typeof key === 'string' ? key : undefined,
      `POST /orders/${docId}/cancel`,
      req.body ?? {},
      async () => ({
        status: 200,
        body: { ...store.cancelOrder(docId), reservation_ref: store.reservationOf(docId) ?? null },
      }),
    );
    if (outcome.replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(outcome.status).json(outcome.body);
  });
}

import { UpstreamError } from '@bff/core';
import type { CallContext, RestClient } from '@bff/core';
import type { Job, JobHandler } from '@bff/events';

import { toOrder } from '../erp/mapErp.js';
import type { ErpOrder } from '../erp/types.js';
import { crmActivityJob } from './crmActivity.js';
import type { IdempotencyStore } from './IdempotencyStore.js';
import type { PlaceOrderResult } from './placeOrder.js';
import { releaseReservation } from './reservations.js';

export const orderCompletionKind = 'order.complete';

/** An order whose creation the ERP never answered: all it takes to finish it. */
export interface PendingOrder {
  /** The saga's key (consumer and idempotency key, hashed); the ERP call's key derives from it. */
  key: string;
  inputHash: string;
  contactId: string;
  reservationId: string;
  body: { client_number: string; lines: { sku: string; qty: number }[]; reservation_ref: string };
}

/** Creates the ERP order; its Idempotency-Key makes every repeat answer the same order. */
export function createErpOrder(
  erp: RestClient,
  order: Pick<PendingOrder, 'key' | 'body'>,
  call: CallContext,
): Promise<ErpOrder> {
  return erp.request<ErpOrder>(
    {
      method: 'POST',
      path: '/orders',
      body: order.body,
      idempotencyKey: `${order.key}:order`,
      route: 'POST /orders',
    },
    call,
  );
}

/**
 * Whether the ERP may have created the order although the call failed: it
 * never answered (a timeout, a dropped connection). An answer, even a 5xx,
 * says it did not, and a call never sent (open circuit, full queue) cannot
 * have. Releasing the stock of an order that exists would sell it twice.
 */
export function erpMayHaveCreated(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return true;
  if (error.detail.status !== undefined) return false;
  return !['circuit-open', 'queue-full', 'queue-timeout'].includes(error.detail.reason ?? '');
}

export function orderCompletionJob(pending: PendingOrder): Job<PendingOrder> {
  return {
    id: `${orderCompletionKind}:${pending.key}`,
    kind: orderCompletionKind,
    payload: pending,
  };
}

/**
 * Finishes an order whose creation the ERP never answered, forward: the
 * create is sent again under the same key (the ERP answers the order if it
 * made it, or makes it now), then noted in the CRM and stored under the
 * caller's idempotency key, so the caller's retry answers it. An ERP that
 * answers no made nothing: the reservation is released. While the ERP stays
 * silent the job is retried, then dead-lettered with the stock still held
 * for an operator to replay (forward) or discard (after releasing the
 * reservation it names).
 */
export function completeOrder(deps: {
  erp: RestClient;
  inventory: RestClient;
  idempotency: IdempotencyStore<PlaceOrderResult>;
  enqueue: (job: Job) => Promise<void>;
}): JobHandler<PendingOrder> {
  return async (pending, call) => {
    let order: ErpOrder;
    try {
      order = await createErpOrder(deps.erp, pending, call);
    } catch (error) {
      if (erpMayHaveCreated(error)) throw error;
      await releaseReservation(deps.inventory, pending.reservationId, call);
      call.logger?.warn({ err: error }, 'pending order refused by the ERP: stock released');
      return;
    }
    await deps.enqueue(crmActivityJob(pending.key, pending.contactId, order));
    await deps.idempotency.complete(pending.key, pending.inputHash, {
      __typename: 'OrderPlaced',
      order: toOrder(order),
    });
    call.logger?.info({ orderId: String(order.doc_id) }, 'pending order completed');
  };
}

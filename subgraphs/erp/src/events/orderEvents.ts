import type { RestClient } from '@bff/core';
import type { EntityKeyOf, JobHandler, UpstreamEvent } from '@bff/events';

import { releaseReservation } from '../saga/reservations.js';

/** An `order.status_changed` event as the ERP sends it. */
export type OrderStatusChangedEvent = UpstreamEvent<{
  doc_id: number | string;
  status: string;
  previous_status?: string;
  /** The inventory reservation the order was created with (placeOrder names one), or null. */
  reservation_ref?: string | null;
}>;

/** Events of one order are applied in order. */
export const orderEventKey: EntityKeyOf = (data) =>
  (typeof data.doc_id === 'number' || typeof data.doc_id === 'string') &&
  typeof data.status === 'string'
    ? String(data.doc_id)
    : undefined;

/**
 * Completes a cancellation made in the ERP itself (its own screens, another
 * integration): the order's stock reservation is released in the inventory
 * system, as `cancelOrder` does for a cancellation made through the graph.
 * Cancelled is final, so the event can be acted on without re-reading the
 * order, and releasing is idempotent (one already released, by
 * `cancelOrder` or an earlier delivery, stays released; one the WMS no
 * longer knows answers 404, as good as released), so repeating is harmless. Other status changes need nothing here: the ERP subgraph caches
 * no orders, so the next query reads the new status.
 */
export function applyOrderStatusChanged(
  inventory: RestClient,
): JobHandler<OrderStatusChangedEvent> {
  return async (event, call) => {
    const { status, reservation_ref: reservation } = event.data;
    if (status !== 'CANCELLED' || !reservation) return;
    await releaseReservation(inventory, reservation, call);
    call.logger?.info(
      { reservation, orderId: String(event.data.doc_id) },
      'cancelled order: stock released',
    );
  };
}

import type { CallContext, RestClient } from '@bff/core';

import { toOrder } from '../erp/mapErp.js';
import type { ErpOrder } from '../erp/types.js';
import type { Order } from '../model.js';
import { releaseReservation } from './reservations.js';

/**
 * Cancels the order in the ERP first (it refuses a shipped one, and then no
 * stock must be freed), then releases its reservation. Both steps are
 * idempotent, so a caller whose release failed simply calls again.
 */
export async function cancelOrder(
  deps: { erp: RestClient; inventory: RestClient },
  call: CallContext,
  id: string,
): Promise<Order> {
  const cancelled = await deps.erp.request<ErpOrder & { reservation_ref: string | null }>(
    {
      method: 'POST',
      path: `/orders/${encodeURIComponent(id)}/cancel`,
      idempotencyKey: `cancel:${id}`,
      route: 'POST /orders/:id/cancel',
    },
    call,
  );
  if (cancelled.reservation_ref) {
    await releaseReservation(deps.inventory, cancelled.reservation_ref, call);
  }
  return toOrder(cancelled);
}

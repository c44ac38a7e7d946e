import { UpstreamError } from '@bff/core';
import type { CallContext, RestClient } from '@bff/core';

import { toOrder } from '../erp/mapErp.js';
import type { ErpOrder } from '../erp/types.js';
import type { Order } from '../model.js';

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
    try {
      await deps.inventory.request(
        {
          method: 'DELETE',
          path: `/reservations/${encodeURIComponent(cancelled.reservation_ref)}`,
          route: 'DELETE /reservations/:id',
        },
        call,
      );
    } catch (error) {
      // Already gone is as good as released.
      if (!(error instanceof UpstreamError && error.detail.status === 404)) throw error;
    }
  }
  return toOrder(cancelled);
}

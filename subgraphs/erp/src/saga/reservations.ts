import { UpstreamError } from '@bff/core';
import type { CallContext, RestClient } from '@bff/core';

/**
 * Releases a stock reservation in the WMS. Idempotent: one already released
 * stays released, and one the WMS no longer knows (404) is as good as
 * released; any other failure rejects, for the caller to retry or report.
 */
export async function releaseReservation(
  inventory: RestClient,
  reservationId: string,
  call: CallContext,
): Promise<void> {
  try {
    await inventory.request(
      {
        method: 'DELETE',
        path: `/reservations/${encodeURIComponent(reservationId)}`,
        route: 'DELETE /reservations/:id',
      },
      call,
    );
  } catch (error) {
    if (!(error instanceof UpstreamError && error.detail.status === 404)) throw error;
  }
}

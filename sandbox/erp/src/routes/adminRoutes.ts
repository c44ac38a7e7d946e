import { SandboxHttpError } from '@bff/sandbox-kit';
import type { ErpOrderStatus, Sandbox } from '@bff/sandbox-kit';

import { orderStatuses } from '../ErpStore.js';
import type { ErpStore } from '../ErpStore.js';

/** The part of express's response this uses. */
interface JsonResponse {
  json(body: unknown): unknown;
  status(code: number): JsonResponse;
}

/**
 * Admin, for tests and demos: the changes the ERP's own users make (a new
 * price, an order shipped or cancelled in the ERP's screens), each sending
 * its event to the subscribers as the real ERP would.
 */
export function adminRoutes(sandbox: Sandbox, store: ErpStore): void {
  sandbox.admin.put('/products/:sku', (req, res) => {
    answer(res, () => {
      const body = (req.body ?? {}) as { list_price?: unknown; title?: unknown };
      if (body.list_price === undefined && body.title === undefined) {
        throw new SandboxHttpError(400, 'parameter_missing', 'give "list_price" or "title"');
      }
      return store.updateProduct(String(req.params.sku), body);
    });
  });

  sandbox.admin.put('/orders/:doc_id/status', (req, res) => {
    answer(res, () => {
      const status = (req.body as { status?: unknown } | undefined)?.status;
      if (!orderStatuses.includes(status as ErpOrderStatus)) {
        throw new SandboxHttpError(
          400,
          'invalid_parameter',
          `"status" must be one of ${orderStatuses.join(', ')}`,
        );
      }
      return store.changeOrderStatus(String(req.params.doc_id), status as ErpOrderStatus);
    });
  });
}

/** The ERP's error shape for a refused change (the admin router has no error mapping of its own). */
function answer(res: JsonResponse, change: () => unknown): void {
  try {
    res.json(change());
  } catch (error) {
    if (!(error instanceof SandboxHttpError)) throw error;
    res.status(error.status).json({
      error: { type: 'invalid_request_error', code: error.code, message: error.message },
    });
  }
}

import type { Logger } from '@bff/core';
import { createSandboxFromConfig, loadWorld, worldOptionsOf } from '@bff/sandbox-kit';
import type { Sandbox } from '@bff/sandbox-kit';

import type { SandboxConfig } from '@bff/sandbox-kit';
import { ErpStore } from './ErpStore.js';
import { adminRoutes } from './routes/adminRoutes.js';
import { clientRoutes } from './routes/clientRoutes.js';
import { invoiceRoutes } from './routes/invoiceRoutes.js';
import { orderRoutes } from './routes/orderRoutes.js';
import { productRoutes } from './routes/productRoutes.js';

export interface ErpSandbox extends Sandbox {
  readonly store: ErpStore;
}

/** The stand-in ERP: Stripe-style lists, snake_case, errors as `{ error: { type, code, message } }`. */
export function createServer(config: SandboxConfig, logger: Logger): ErpSandbox {
  const store = new ErpStore(loadWorld(worldOptionsOf(config)).erp);
  const sandbox = createSandboxFromConfig(config, logger, {
    system: 'erp',
    errorBody: (status, code, message) => ({
      error: { type: status >= 500 ? 'api_error' : 'invalid_request_error', code, message },
    }),
  });
  // The ERP's subscribers hear of every status change and product change:
  // the ERP subgraph releases a cancelled order's stock and drops its
  // cached product.
  store.onOrderStatusChanged = (change) => {
    sandbox.webhooks.send('order.status_changed', { ...change });
  };
  store.onProductChanged = (change) => {
    sandbox.webhooks.send('product.changed', { ...change });
  };
  clientRoutes(sandbox, store);
  productRoutes(sandbox, store);
  orderRoutes(sandbox, store);
  invoiceRoutes(sandbox, store);
  adminRoutes(sandbox, store);
  sandbox.finish();
  return { ...sandbox, store };
}

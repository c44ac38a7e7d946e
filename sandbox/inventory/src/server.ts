import type { Logger } from '@bff/core';
import { createSandboxFromConfig, loadWorld, worldOptionsOf } from '@bff/sandbox-kit';
import type { Sandbox, SandboxConfig } from '@bff/sandbox-kit';

import { InventoryStore } from './InventoryStore.js';
import { reservationRoutes } from './routes/reservationRoutes.js';
import { stockRoutes } from './routes/stockRoutes.js';

export interface InventorySandbox extends Sandbox {
  readonly store: InventoryStore;
}

/** The stand-in WMS: item codes and sites, `{ results }` lists, RFC 9457 problem details for errors. */
export function createServer(config: SandboxConfig, logger: Logger): InventorySandbox {
  const store = new InventoryStore(loadWorld(worldOptionsOf(config)).inventory);
  const sandbox = createSandboxFromConfig(config, logger, {
    system: 'inventory',
    errorBody: (status, code, message, details) => ({
      type: `urn:wms:error:${code}`,
      title: code.replace(/_/g, ' '),
      status,
      detail: message,
      ...details,
    }),
  });
  // Every change becomes a `stock.changed` event: the WMS is the source of
  // truth for stock, and its subscribers drop what they cached of it.
  store.onStockChanged = (change) => {
    sandbox.webhooks.send('stock.changed', { ...change });
  };
  stockRoutes(sandbox, store);
  reservationRoutes(sandbox, store);
  sandbox.finish();
  return { ...sandbox, store };
}

import { SandboxHttpError, checkIds, idList } from '@bff/sandbox-kit';
import type { Sandbox } from '@bff/sandbox-kit';

import type { InventoryStore } from '../InventoryStore.js';
import { limits } from './limits.js';

/** One entry per requested item; an item the WMS never stocked has no levels. */
function stockResults(store: InventoryStore, itemCodes: string[]) {
  return {
    results: itemCodes.map((item_code) => ({ item_code, levels: store.stockOf(item_code) ?? [] })),
  };
}

export function stockRoutes(sandbox: Sandbox, store: InventoryStore): void {
  sandbox.route('GET', '/sites', () => ({ results: store.sites }));

  sandbox.route('GET', '/sites/:site_id', (req) => {
    const site = store.site(String(req.params.site_id));
    if (!site) throw new SandboxHttpError(404, 'not_found', `no site ${req.params.site_id}`);
    return site;
  });

  sandbox.route('GET', '/stock', (req) => {
    const itemCodes = idList(req.query, 'item_codes', limits.itemsPerGet);
    if (!itemCodes) throw new SandboxHttpError(400, 'missing_parameter', 'give "item_codes"');
    return stockResults(store, itemCodes);
  });

  sandbox.route('POST', '/stock/batch-get', (req) => {
    const itemCodes = (req.body as { item_codes?: unknown } | undefined)?.item_codes;
    if (itemCodes === undefined)
      throw new SandboxHttpError(400, 'missing_parameter', 'give "item_codes"');
    return stockResults(store, checkIds(itemCodes, 'item_codes', limits.itemsPerBatch));
  });

  sandbox.route('GET', '/stock/:item_code', (req) => {
    const levels = store.stockOf(String(req.params.item_code));
    if (!levels) throw new SandboxHttpError(404, 'not_found', `no item ${req.params.item_code}`);
    return { item_code: req.params.item_code, levels };
  });

  // Admin, for tests: a stock count that changes an item's quantity on hand (and sends its event).
  sandbox.admin.put('/stock/:item_code', (req, res) => {
    const body = (req.body ?? {}) as { qty_on_hand?: unknown; site_id?: unknown };
    try {
      const level = store.setOnHand(
        String(req.params.item_code),
        body.qty_on_hand as number,
        typeof body.site_id === 'string' ? body.site_id : undefined,
      );
      res.json(level);
    } catch (error) {
      if (!(error instanceof SandboxHttpError)) throw error;
      res
        .status(error.status)
        .json({ status: error.status, code: error.code, detail: error.message });
    }
  });

  sandbox.route('GET', '/shipments', (req) => {
    const refs = idList(req.query, 'order_refs', limits.itemsPerGet);
    if (!refs) throw new SandboxHttpError(400, 'missing_parameter', 'give "order_refs"');
    return { results: refs.flatMap((ref) => store.shipmentsOf(ref)) };
  });

  sandbox.route('POST', '/shipments/batch-get', (req) => {
    const refs = (req.body as { order_refs?: unknown } | undefined)?.order_refs;
    if (refs === undefined)
      throw new SandboxHttpError(400, 'missing_parameter', 'give "order_refs"');
    return {
      results: checkIds(refs, 'order_refs', limits.itemsPerBatch).flatMap((ref) =>
        store.shipmentsOf(ref),
      ),
    };
  });
}

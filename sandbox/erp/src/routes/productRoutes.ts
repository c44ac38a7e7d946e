import { SandboxHttpError, idList, intParam, keysetPage, stringParam } from '@bff/sandbox-kit';
import type { Sandbox } from '@bff/sandbox-kit';

import type { ErpStore } from '../ErpStore.js';
import { batchIds, batchResult } from './batch.js';
import { limits } from './limits.js';

export function productRoutes(sandbox: Sandbox, store: ErpStore): void {
  sandbox.route('GET', '/products', (req) => {
    const ids = idList(req.query, 'ids', limits.idsPerGet);
    if (ids) return batchResult(ids, (id) => store.product(id));
    const group = stringParam(req.query, 'product_group');
    const source =
      group === undefined
        ? store.products
        : store.products.filter((p) => p.product_group === group);
    const page = keysetPage(
      source,
      (p) => p.sku,
      stringParam(req.query, 'starting_after'),
      intParam(req.query, 'limit', limits.page),
    );
    return { object: 'list', data: page.items, has_more: page.hasMore };
  });

  sandbox.route('POST', '/products/batch-get', (req) => {
    const ids = batchIds(req.body, 'ids');
    if (!ids) throw new SandboxHttpError(400, 'parameter_missing', 'give "ids"');
    return batchResult(ids, (id) => store.product(id));
  });

  sandbox.route('GET', '/products/:sku', (req) => {
    const product = store.product(String(req.params.sku));
    if (!product)
      throw new SandboxHttpError(404, 'resource_missing', `no product ${req.params.sku}`);
    return product;
  });
}

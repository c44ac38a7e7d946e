import { SandboxHttpError, idList, intParam, keysetPage, stringParam } from '@bff/sandbox-kit';
import type { ErpProductRecord, Sandbox } from '@bff/sandbox-kit';

import type { ErpStore } from '../ErpStore.js';
import { batchIds, batchResult } from './batch.js';
import { limits } from './limits.js';

export function productRoutes(sandbox: Sandbox, store: ErpStore): void {
  sandbox.route('GET', '/products', (req) => {
    const ids = idList(req.query, 'ids', limits.idsPerGet);
    if (ids) return batchResult(ids, (id) => store.product(id));
    const group = stringParam(req.query, 'product_group');
    const needle = searchParam(req.query, 'search')?.toLowerCase();
    const source =
      group === undefined && needle === undefined
        ? store.products
        : store.products.filter(
            (p) =>
              (group === undefined || p.product_group === group) &&
              (needle === undefined || matchesSearch(p, needle)),
          );
    // The cursor is a key of the filtered list, as for `product_group`: a page
    // of a search continues only with the same search.
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

/** `?search=`: refused when empty or too long, so a typo never lists the whole catalogue. */
function searchParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = stringParam(query, name);
  if (value === undefined) return undefined;
  // Code points, not UTF-16 units, so an emoji or an accented letter counts once.
  const length = [...value].length;
  if (length < limits.search.min || length > limits.search.max) {
    throw new SandboxHttpError(
      400,
      'invalid_parameter',
      `"${name}" must be ${limits.search.min} to ${limits.search.max} characters`,
    );
  }
  return value;
}

/** Case-insensitive substring match on the product's name (`title`) or its SKU; `needle` is lower case. */
function matchesSearch(p: ErpProductRecord, needle: string): boolean {
  return p.title.toLowerCase().includes(needle) || p.sku.toLowerCase().includes(needle);
}

import type { ErpProductRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

// `GET /products?search=`: a case-insensitive substring of the title or the
// SKU, combined with `product_group` and paged like the unfiltered list.

interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

describe('ERP sandbox: product search', () => {
  let erp: RunningErp;
  beforeAll(async () => {
    erp = await startErpSandbox();
  });
  afterAll(async () => {
    await erp?.close();
  });

  async function list(path: string): Promise<List<ErpProductRecord>> {
    const response = await erp.call('GET', path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as List<ErpProductRecord>;
  }

  /** What the search should find, worked out from the world itself. */
  function expected(text: string, group?: string) {
    const needle = text.toLowerCase();
    return erp.world.erp.products.filter(
      (p) =>
        (group === undefined || p.product_group === group) &&
        (p.title.toLowerCase().includes(needle) || p.sku.toLowerCase().includes(needle)),
    );
  }

  it('finds products by part of their name, ignoring case', async () => {
    const product = erp.world.erp.products[4] as ErpProductRecord;
    // The middle of the title, in the other case: neither a prefix nor an exact match.
    const part = product.title.slice(2, -2);
    for (const text of [part.toUpperCase(), part.toLowerCase()]) {
      const page = await list(`/products?limit=100&search=${encodeURIComponent(text)}`);
      expect(page.data).toContainEqual(product);
      expect(page.data).toEqual(expected(part));
      expect(page.has_more).toBe(false);
    }
  });

  it('finds products by SKU, whole or in part, ignoring case', async () => {
    const whole = await list('/products?search=sku-10007');
    expect(whole.data.map((p) => p.sku)).toEqual(['SKU-10007']);
    const part = await list('/products?limit=100&search=KU-1000');
    expect(part.data.map((p) => p.sku)).toEqual(
      Array.from({ length: 9 }, (_, i) => `SKU-1000${i + 1}`),
    );
  });

  it('combines with product_group: only products matching both', async () => {
    const group = erp.world.erp.products[0]?.product_group as string;
    const page = await list(
      `/products?limit=100&search=sku-100&product_group=${encodeURIComponent(group)}`,
    );
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data).toEqual(expected('sku-100', group));
    expect(page.data.every((p) => p.product_group === group)).toBe(true);
  });

  it('pages through the matches with limit and starting_after, without gaps or repeats', async () => {
    const all = expected('sku-10');
    expect(all.length).toBeGreaterThan(6);
    const pages: List<ErpProductRecord>[] = [];
    let after: string | undefined;
    do {
      const page = await list(
        `/products?search=SKU-10&limit=3${after ? `&starting_after=${after}` : ''}`,
      );
      pages.push(page);
      after = page.has_more ? page.data.at(-1)?.sku : undefined;
    } while (after);
    expect(pages.flatMap((p) => p.data)).toEqual(all);
    expect(pages.map((p) => p.has_more)).toEqual(pages.map((_, i) => i < pages.length - 1));
    expect(pages.length).toBe(Math.ceil(all.length / 3));
  });

  it('answers an empty list when nothing matches', async () => {
    expect(await list('/products?search=no%20such%20product%20anywhere')).toEqual({
      object: 'list',
      data: [],
      has_more: false,
    });
  });

  it('refuses a starting_after that is not among the matches: 400 invalid_cursor', async () => {
    const response = await erp.call('GET', '/products?search=SKU-10001&starting_after=SKU-10002');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'invalid_cursor',
        message: 'no item "SKU-10002" to continue after',
      },
    });
  });

  it('accepts 100 characters', async () => {
    expect((await list(`/products?search=${'x'.repeat(100)}`)).data).toEqual([]);
  });

  it.each([
    ['empty', '/products?search='],
    ['101 characters', `/products?search=${'x'.repeat(101)}`],
    ['101 characters with product_group', `/products?product_group=x&search=${'é'.repeat(101)}`],
  ])('refuses a search %s: 400 in the ERP error format', async (_label, path) => {
    const response = await erp.call('GET', path);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'invalid_parameter',
        message: '"search" must be 1 to 100 characters',
      },
    });
  });
});

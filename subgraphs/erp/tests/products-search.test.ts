import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeErpClient } from '../src/erp/FakeErpClient.js';
import { createTestServer } from './createTestServer.js';
import { erpProduct } from './fixtures.js';

// products(search:) finds products whose name or SKU contains the text,
// ignoring case, within the category if one is given, and pages like the
// whole catalogue. A search the ERP would refuse is the caller's mistake:
// BAD_USER_INPUT naming "search", before the ERP is called.

type Page = {
  nodes: { sku: string; name: string; category: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
};

const QUERY = /* GraphQL */ `
  query ($s: String, $c: String, $f: Int, $a: String) {
    products(search: $s, category: $c, first: $f, after: $a) {
      nodes {
        sku
        name
        category
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
    }
  }
`;

/** A catalogue with a few drills across two categories, and products that only match by SKU. */
function catalogue() {
  const products = [
    erpProduct({ title: 'Cordless Drill 18V', product_group: 'power-tools' }),
    erpProduct({ title: 'Hammer drill', product_group: 'power-tools' }),
    erpProduct({ title: 'DRILL BIT SET', product_group: 'accessories' }),
    erpProduct({ title: 'Claw hammer', product_group: 'hand-tools' }),
    erpProduct({ title: 'Screwdriver', product_group: 'hand-tools' }),
    erpProduct({ sku: 'ABC-DRILL-7', title: 'Masonry bit 7mm', product_group: 'accessories' }),
  ];
  return { products, fake: new FakeErpClient({ products }) };
}

const bySku = (skus: string[]) => [...skus].sort();

describe('products(search:)', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('finds products by part of their name, ignoring case', async () => {
    const { products, fake } = catalogue();

    const result = await server.run<{ products: Page }>(fake, QUERY, { s: 'dRiLl' });

    expect(result.errors).toBeUndefined();
    const skus = [products[0], products[1], products[2], products[5]].map((p) => p?.sku as string);
    expect(result.data?.products.nodes.map((n) => n.sku)).toEqual(bySku(skus));
    expect(fake.callsTo('listProducts')).toEqual([
      [{ limit: 20, afterKey: undefined, filter: { category: undefined, search: 'dRiLl' } }],
    ]);
  });

  it('finds a product by its SKU, ignoring case', async () => {
    const { products, fake } = catalogue();
    const product = products[4];

    const result = await server.run<{ products: Page }>(fake, QUERY, {
      s: product?.sku.toLowerCase(),
    });

    expect(result.errors).toBeUndefined();
    expect(result.data?.products.nodes).toEqual([
      { sku: product?.sku, name: 'Screwdriver', category: 'hand-tools' },
    ]);
  });

  it('combines with category: only products matching both', async () => {
    const { products, fake } = catalogue();

    const result = await server.run<{ products: Page }>(fake, QUERY, {
      s: 'drill',
      c: 'accessories',
    });

    expect(result.errors).toBeUndefined();
    expect(result.data?.products.nodes.map((n) => n.sku)).toEqual(
      bySku([products[2]?.sku as string, products[5]?.sku as string]),
    );
  });

  it('pages through the matches with `after`, without gaps or repeats', async () => {
    const { products, fake } = catalogue();
    const matches = bySku(
      [products[0], products[1], products[2], products[5]].map((p) => p?.sku as string),
    );

    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const result = await server.run<{ products: Page }>(fake, QUERY, {
        s: 'DRILL',
        f: 3,
        a: after,
      });
      expect(result.errors).toBeUndefined();
      const page = result.data?.products as Page;
      pages.push(page);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null && pages.length < 5);

    expect(pages.map((p) => p.nodes.map((n) => n.sku))).toEqual([
      matches.slice(0, 3),
      matches.slice(3),
    ]);
    expect(pages.map((p) => p.pageInfo)).toMatchObject([
      { hasNextPage: true, hasPreviousPage: false },
      { hasNextPage: false, hasPreviousPage: true },
    ]);
    // The search goes with every page: the cursor is a key of the searched list.
    expect(fake.callsTo('listProducts').map(([request]) => request)).toEqual([
      { limit: 3, afterKey: undefined, filter: { category: undefined, search: 'DRILL' } },
      { limit: 3, afterKey: matches[2], filter: { category: undefined, search: 'DRILL' } },
    ]);
  });

  it('no search (null) lists the whole catalogue', async () => {
    const { products, fake } = catalogue();

    const result = await server.run<{ products: Page }>(fake, QUERY, { s: null });

    expect(result.data?.products.nodes).toHaveLength(products.length);
    expect(fake.callsTo('listProducts')).toEqual([
      [{ limit: 20, afterKey: undefined, filter: { category: undefined, search: undefined } }],
    ]);
  });

  it('accepts 100 characters', async () => {
    const { fake } = catalogue();

    const result = await server.run<{ products: Page }>(fake, QUERY, { s: 'é'.repeat(100) });

    expect(result.errors).toBeUndefined();
    expect(result.data?.products.nodes).toEqual([]);
  });

  it.each([
    ['empty', '', 0],
    ['101 characters', 'x'.repeat(101), 101],
    ['101 accented characters', 'é'.repeat(101), 101],
  ])(
    'a search %s is BAD_USER_INPUT naming "search", and the ERP is not called',
    async (_label, search, length) => {
      const { fake } = catalogue();

      const result = await server.run(fake, QUERY, { s: search });

      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]).toMatchObject({
        path: ['products'],
        extensions: {
          code: 'BAD_USER_INPUT',
          argument: 'search',
          min: 1,
          max: 100,
          actual: length,
        },
      });
      expect(result.errors?.[0]?.message).toContain('"search"');
      // `products` is non-null, so the error nulls the whole response data.
      expect(result.data).toBeNull();
      expect(fake.calls).toEqual([]);
    },
  );
});

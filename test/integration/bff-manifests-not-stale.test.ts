import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { manifestOf, readTrustedDocuments } from '@bff/bff-kit';
import { describe, expect, it } from 'vitest';

// The gateway serves each BFF's operations from its committed manifest, and
// holds the BFF to exactly those: it must be what operations/*.graphql
// produce today, or the BFF would send ids the gateway does not know.

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe.each([
  { bff: 'bff-mobile', screens: ['CustomerCard', 'OrderDetail', 'OrderFeed', 'ProductCard'] },
  { bff: 'bff-web', screens: ['CustomerOverview', 'OrderPage', 'ProductSearch', 'SignIn'] },
])('persisted-operations/$bff.json', ({ bff, screens }) => {
  const committed = () => readFileSync(at(`persisted-operations/${bff}.json`), 'utf8');

  it('is byte for byte what operations/*.graphql generate', () => {
    expect(
      committed() === manifestOf(readTrustedDocuments(at(`${bff}/operations`))),
      `persisted-operations/${bff}.json is stale: run \`npm run -w ${bff} manifest\` and commit it`,
    ).toBe(true);
  });

  it('lists every screen operation by the SHA-256 of its text', () => {
    const manifest = JSON.parse(committed()) as { operations: { id: string; name: string }[] };
    expect(manifest.operations.map((o) => o.name)).toEqual(screens);
    for (const operation of manifest.operations) expect(operation.id).toMatch(/^[0-9a-f]{64}$/);
  });
});

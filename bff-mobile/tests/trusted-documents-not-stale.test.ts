import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { manifestOf, readTrustedDocuments } from '@bff/bff-kit';

import { operationsDir } from '../src/operationsDir.js';

// The gateway serves bff-mobile's operations from the committed manifest: it
// must be exactly what operations/*.graphql produce today.
const committed = fileURLToPath(
  new URL('../../persisted-operations/bff-mobile.json', import.meta.url),
);

describe('persisted-operations/bff-mobile.json', () => {
  it('is byte for byte what operations/*.graphql generate', () => {
    expect(
      readFileSync(committed, 'utf8') === manifestOf(readTrustedDocuments(operationsDir)),
      'persisted-operations/bff-mobile.json is stale: run `npm run -w bff-mobile manifest` and commit it',
    ).toBe(true);
  });

  it('lists every screen operation by the SHA-256 of its text', () => {
    const manifest = JSON.parse(readFileSync(committed, 'utf8')) as {
      operations: { id: string; name: string }[];
    };
    expect(manifest.operations.map((o) => o.name)).toEqual([
      'CustomerCard',
      'OrderDetail',
      'OrderFeed',
      'ProductCard',
    ]);
    for (const operation of manifest.operations) expect(operation.id).toMatch(/^[0-9a-f]{64}$/);
  });
});

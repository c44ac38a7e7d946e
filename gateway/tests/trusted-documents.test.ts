import { createLogger } from '@bff/core';
import { describe, expect, it } from 'vitest';

import { sha256 } from '../src/persistedOperations/manifest.js';
import { TrustedDocuments } from '../src/persistedOperations/TrustedDocuments.js';
import type { KeyValueStore } from '@bff/shared-state';

/** A store that counts its reads: what another replica publishes lands in `entries`. */
function countingStore() {
  const entries = new Map<string, string>();
  const store = {
    reads: 0,
    entries,
    async get(key: string) {
      store.reads += 1;
      return entries.get(key);
    },
    async set(key: string, value: string) {
      entries.set(key, value);
    },
    async delete(key: string) {
      entries.delete(key);
    },
  } satisfies KeyValueStore & { reads: number; entries: Map<string, string> };
  return store;
}

const silent = createLogger({ service: 'test', level: 'silent' });
const body = 'query Q { warehouses { id } }';

describe('TrustedDocuments', () => {
  it('reads a published document from the store once, then from memory', async () => {
    const store = countingStore();
    store.entries.set(`web:${sha256(body)}`, body); // published through another replica
    const documents = new TrustedDocuments(store, silent);
    expect(await documents.find('web', sha256(body))).toBe(body);
    expect(await documents.find('web', sha256(body))).toBe(body);
    expect(store.reads).toBe(1);
  });

  it('asks the store again after a miss: another replica may publish it meanwhile', async () => {
    const store = countingStore();
    const documents = new TrustedDocuments(store, silent);
    expect(await documents.find('web', sha256(body))).toBeUndefined();
    store.entries.set(`web:${sha256(body)}`, body);
    expect(await documents.find('web', sha256(body))).toBe(body);
    expect(store.reads).toBe(2);
  });

  it('keeps clients apart', async () => {
    const store = countingStore();
    store.entries.set(`web:${sha256(body)}`, body);
    const documents = new TrustedDocuments(store, silent);
    expect(await documents.find('web', sha256(body))).toBe(body);
    expect(await documents.find('acme', sha256(body))).toBeUndefined();
  });
});

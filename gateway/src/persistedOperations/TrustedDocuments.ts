import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { Logger } from '@bff/core';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Counter } from 'prom-client';

import type { KeyValueStore } from '@bff/shared-state';
import { clientNamePattern, ManifestError, readManifest } from './manifest.js';
import type { TrustedOperation } from './manifest.js';

/**
 * The trusted documents of every client: what each may run by id, and what
 * a safelist checks free-form operations against.
 *
 * Two sources: the manifests committed to the repository (read at start,
 * held in memory, so a shared-store outage never stops a partner's agreed
 * operations) and the ones published at run time (written to the shared
 * store, so every replica serves them at once, with no restart). Ids are the
 * SHA-256 of the body, so an entry never changes meaning; publishing adds,
 * and repeating a publish changes nothing.
 */
export class TrustedDocuments {
  private readonly committed = new Map<string, string>();
  /**
   * Published documents this replica has already read. An id is the hash of
   * its body and nothing is ever unpublished, so a hit can be kept: a
   * client's by-id requests then cost no store round trip after the first.
   * (Misses are not kept: another replica may publish at any moment.)
   */
  private readonly published = new LRUCache<string, string>({ max: 10_000 });

  private readonly lookups: { hit(): void; miss(): void };

  constructor(
    private readonly store: KeyValueStore,
    private readonly logger: Logger,
    /** Counts lookups: a hit is answered from memory, a miss goes to the shared store. */
    cacheRequests?: Counter<'cache' | 'result'>,
  ) {
    const hit = cacheRequests?.labels({ cache: 'trusted_documents', result: 'hit' });
    const miss = cacheRequests?.labels({ cache: 'trusted_documents', result: 'miss' });
    this.lookups = { hit: () => hit?.inc(), miss: () => miss?.inc() };
  }

  /**
   * Loads `<client>.json` manifests from a folder (none is fine) and checks
   * every operation against the graph: a committed manifest that does not
   * validate stops the gateway at start rather than failing a partner later.
   */
  loadCommitted(dir: string, schema: GraphQLSchema): number {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let loaded = 0;
    for (const file of files) {
      const client = basename(file, '.json');
      const path = join(dir, file);
      if (!clientNamePattern.test(client))
        throw new ManifestError(path, [`"${client}" is not a usable client name`]);
      const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      for (const operation of readManifest(raw, path, schema)) {
        this.committed.set(keyOf(client, operation.id), operation.body);
        loaded += 1;
      }
    }
    return loaded;
  }

  /**
   * Publishes operations for a client (already checked by readManifest).
   * Written one by one: a failure part-way leaves some written, which is
   * harmless (ids are content hashes) and the caller is told to repeat it.
   */
  async publish(client: string, operations: readonly TrustedOperation[]): Promise<number> {
    let added = 0;
    for (const operation of operations) {
      const key = keyOf(client, operation.id);
      if (this.committed.has(key)) continue;
      if ((await this.store.get(key)) !== operation.body) {
        await this.store.set(key, operation.body);
        added += 1;
      }
    }
    return added;
  }

  /**
   * The body of a client's operation by id, or undefined. A shared store
   * that does not answer counts as "not registered" (logged): the request
   * then fails closed with a clear code instead of hanging.
   */
  async find(client: string | undefined, id: string): Promise<string | undefined> {
    if (client === undefined) return undefined;
    const key = keyOf(client, id);
    const known = this.committed.get(key) ?? this.published.get(key);
    if (known !== undefined) {
      this.lookups.hit();
      return known;
    }
    this.lookups.miss();
    try {
      const body = await this.store.get(key);
      if (body !== undefined) this.published.set(key, body);
      return body;
    } catch (error) {
      this.logger.warn({ err: error, client }, 'trusted documents: shared store unavailable');
      return undefined;
    }
  }
}

function keyOf(client: string, id: string): string {
  return `${client}:${id}`;
}

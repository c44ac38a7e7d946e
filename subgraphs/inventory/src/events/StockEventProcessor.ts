import { setTimeout as sleep } from 'node:timers/promises';

import type { CallContext, Logger } from '@bff/core';
import type { DeadLetterStore } from '@bff/shared-state';

import type { ReferenceCache } from '../cache/ReferenceCache.js';
import type { InventoryClient } from '../inventory/InventoryClient.js';
import { toProductStock } from '../inventory/mapInventory.js';

export const STOCK_CHANGED_KIND = 'webhook.stock.changed';

/** A `stock.changed` event as the inventory system sends it (Standard Webhooks payload). */
export interface StockChangedEvent {
  id: string;
  type: 'stock.changed';
  occurredAt: string;
  data: { item_code: string; site?: string; [field: string]: unknown };
}

export interface StockEventProcessorOptions {
  cache: ReferenceCache;
  deadLetters: DeadLetterStore;
  /** The inventory system for work done on behalf of an event rather than a request. */
  inventoryFor: (call: CallContext) => InventoryClient;
  logger: Logger;
  maxAttempts: number;
  retryBaseMs: number;
}

/**
 * Applies stock events in the background, after the webhook has been
 * answered: the item's cached stock is dropped, then read again from the
 * inventory system (the source of truth; the event only says that it
 * changed) and cached. Failures are retried with exponential backoff and
 * full jitter; after `maxAttempts` the event goes to the dead letters, for an
 * operator to replay. Events of one item are applied one after the other, so
 * an older read never overwrites a newer one in this replica.
 */
export class StockEventProcessor {
  private readonly byItem = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly log: Logger;

  constructor(private readonly options: StockEventProcessorOptions) {
    this.log = options.logger.child({ component: 'stockEvents' });
  }

  /** Queues an event; never rejects (failures end in the dead letters). */
  enqueue(event: StockChangedEvent): void {
    const sku = event.data.item_code;
    const previous = this.byItem.get(sku) ?? Promise.resolve();
    const next = previous.then(() => this.processWithRetries(event));
    this.byItem.set(sku, next);
    void next.finally(() => {
      if (this.byItem.get(sku) === next) this.byItem.delete(sku);
    });
  }

  /** One attempt, now (an operator's replay); rejects with why it failed. */
  async applyOnce(event: StockChangedEvent): Promise<void> {
    const { cache } = this.options;
    const sku = event.data.item_code;
    // Dropped first: if the read below fails, queries still go to the source of truth.
    await cache.invalidateStock(sku);
    const inventory = this.options.inventoryFor({
      requestId: `webhook-${event.id}`,
      logger: this.log.child({ webhookId: event.id }),
    });
    const items = await inventory.stockOfItems([sku]);
    await cache.setStock(items.map(toProductStock));
  }

  /**
   * Stops retrying: events still waiting for a retry go to the dead letters
   * at once (nothing is lost on shutdown), then waits for those in progress.
   */
  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.byItem.values()]);
  }

  private async processWithRetries(event: StockChangedEvent): Promise<void> {
    const { maxAttempts, retryBaseMs } = this.options;
    let failure = '';
    let attempts = 0;
    while (attempts < maxAttempts && !this.stopping.signal.aborted) {
      attempts++;
      try {
        await this.applyOnce(event);
        this.log.debug({ webhookId: event.id, attempts }, 'stock event applied');
        return;
      } catch (error) {
        failure = describe(error);
        this.log.warn({ webhookId: event.id, attempt: attempts, failure }, 'stock event failed');
      }
      if (attempts >= maxAttempts) break;
      const delay = Math.random() * retryBaseMs * 2 ** (attempts - 1);
      await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
    if (this.stopping.signal.aborted && attempts < maxAttempts) {
      failure = `${failure || 'not attempted'}; the service stopped before it was applied`;
    }
    await this.deadLetter(event, failure, attempts);
  }

  private async deadLetter(event: StockChangedEvent, error: string, attempts: number) {
    try {
      await this.options.deadLetters.add({
        id: event.id,
        kind: STOCK_CHANGED_KIND,
        payload: event,
        error,
        attempts,
      });
      this.log.error({ webhookId: event.id, attempts, error }, 'stock event dead-lettered');
    } catch (storeError) {
      // Nowhere left to keep it: the cache's TTL bounds how long the item's stock stays stale.
      this.log.error(
        { webhookId: event.id, err: storeError, event },
        'stock event lost: the dead-letter store did not answer',
      );
    }
  }
}

/** A code and message for the dead letter: never a stack, never a body. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string'
      ? `${code}: ${error.message}`
      : `${error.name}: ${error.message}`;
  }
  return String(error);
}

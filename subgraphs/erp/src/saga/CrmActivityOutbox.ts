import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger, RestClient } from '@bff/core';
import type { DeadLetter, DeadLetterStore } from '@bff/shared-state';

export const crmActivityKind = 'crm.activity';

export interface CrmActivity {
  /** Derived from the order's key, so a retry or a replay records it once. */
  idempotencyKey: string;
  body: { contactId: string; kind: 'NOTE'; subject: string };
}

/**
 * Records order activities in the CRM off the request path: the CRM is not
 * essential to an order, so its outage must not fail one. A bounded number of
 * attempts with exponential backoff, then a dead letter an operator replays.
 */
export class CrmActivityOutbox {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly crm: RestClient,
    private readonly deadLetters: DeadLetterStore,
    private readonly logger: Logger,
    private readonly retry: { attempts: number; baseDelayMs: number },
  ) {}

  record(activity: CrmActivity): void {
    const task = this.deliverWithRetries(activity).finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Delivers a dead letter now; removes it once the CRM has it. */
  async replay(letter: DeadLetter): Promise<void> {
    await this.deliver(letter.payload as CrmActivity);
    await this.deadLetters.remove(letter.id);
  }

  /** Waits for deliveries in flight (shutdown), so none is lost between retries. */
  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async deliverWithRetries(activity: CrmActivity): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      try {
        await this.deliver(activity);
        return;
      } catch (error) {
        lastError = error;
        if (attempt < this.retry.attempts) {
          await sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
        }
      }
    }
    const code = (lastError as { extensions?: { code?: unknown } }).extensions?.code;
    try {
      await this.deadLetters.add({
        id: `${crmActivityKind}:${activity.idempotencyKey}`,
        kind: crmActivityKind,
        payload: activity,
        error: `${typeof code === 'string' ? code : 'ERROR'}: ${(lastError as Error).message}`,
        attempts: this.retry.attempts,
      });
      this.logger.warn({ err: lastError }, 'CRM activity dead-lettered');
    } catch (error) {
      // Neither the CRM nor the store: the log line is all that is left of it.
      this.logger.error({ err: error, activity }, 'CRM activity lost: dead-letter store failed');
    }
  }

  private async deliver(activity: CrmActivity): Promise<void> {
    await this.crm.request(
      {
        method: 'POST',
        path: '/activities',
        body: activity.body,
        idempotencyKey: activity.idempotencyKey,
        route: 'POST /activities',
      },
      { logger: this.logger },
    );
  }
}

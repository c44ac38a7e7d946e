import { randomUUID } from 'node:crypto';

import { webhookHeaders } from '@bff/core';
import type { Logger } from '@bff/core';

/** What a sandbox sends: the Standard Webhooks payload shape. */
export interface WebhookEvent<D = Record<string, unknown>> {
  id: string;
  type: string;
  occurredAt: string;
  data: D;
}

export interface WebhookSenderOptions {
  /** Where every event goes; `setTargets` replaces them at run time. */
  urls?: readonly string[];
  secret: string;
  logger: Logger;
  /** Attempts per target, the first included. @default 4 */
  maxAttempts?: number;
  /** Delay before the first retry; doubles per retry, with full jitter. @default 200 */
  retryBaseMs?: number;
  /** How long one attempt may take. @default 2000 */
  timeoutMs?: number;
}

/**
 * Sends a system's events to its subscribers, as a real upstream's webhook
 * delivery does: in the background (the change that caused it never waits),
 * signed, each attempt re-signed with its own timestamp, and retried with
 * backoff when a target fails or answers other than 2xx. An event every
 * attempt failed to deliver is logged and dropped.
 */
export class WebhookSender {
  private targets: string[];
  private readonly pending = new Set<Promise<void>>();
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.targets = [...(options.urls ?? [])];
    this.maxAttempts = options.maxAttempts ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  /** The subscription list (per sandbox): tests point it at a receiver they just started. */
  setTargets(urls: readonly string[]): void {
    this.targets = [...urls];
  }

  get urls(): readonly string[] {
    return this.targets;
  }

  /** Queues one event to every target; returns the event as sent. */
  send<D extends Record<string, unknown>>(type: string, data: D): WebhookEvent<D> {
    const event: WebhookEvent<D> = {
      id: randomUUID(),
      type,
      occurredAt: new Date().toISOString(),
      data,
    };
    const body = JSON.stringify(event);
    for (const url of this.targets) {
      const delivery = this.deliver(url, event.id, body).finally(() =>
        this.pending.delete(delivery),
      );
      this.pending.add(delivery);
    }
    return event;
  }

  /** Settles once every delivery under way has succeeded or given up. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deliver(url: string, id: string, body: string): Promise<void> {
    const log = this.options.logger.child({ webhookId: id, target: url });
    for (let attempt = 1; ; attempt++) {
      let failure: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...webhookHeaders(this.options.secret, id, body),
          },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        // The body is not needed; reading it frees the connection.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          log.debug({ attempt, status: response.status }, 'webhook delivered');
          return;
        }
        failure = `HTTP ${response.status}`;
        // A 4xx other than 408/429 says the receiver refuses this delivery as it is: retrying the same bytes will not help.
        if (response.status < 500 && response.status !== 408 && response.status !== 429) {
          log.warn({ attempt, status: response.status }, 'webhook refused by its target');
          return;
        }
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (attempt >= this.maxAttempts) {
        log.warn({ attempts: attempt, failure }, 'webhook not delivered; giving up');
        return;
      }
      const ceiling = this.retryBaseMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { devWebhookSecret, signWebhook, webhookHeaders } from '@bff/core';
import { expect, it } from 'vitest';

/** How one subgraph's webhook intake is driven by the contract suite (inside its describe). */
export interface WebhookTarget {
  /** `POST /webhooks/<upstream>` of the running subgraph (read when a test runs). */
  webhookUrl: () => string;
  /** The event type it handles, and its data about one entity. */
  type: string;
  dataOf: (entity: string) => Record<string, unknown>;
  /** Entities for these tests alone, so that no other test warms their cache. */
  entities: () => { duplicate: string; refusals: string };
  /** Reads the entity through the gateway, so that its cache entry is warm. */
  warm: (entity: string) => Promise<unknown>;
  resetCounters: () => Promise<void>;
  /** Calls to the upstream the events come from, since the last reset. */
  upstreamCalls: () => Promise<number>;
}

/**
 * What every subgraph's webhook intake does, whatever its upstream: an event
 * delivered twice is applied once; a forged, unsigned or stale delivery is
 * refused 401 with its code; a body that does not name its entity is a 400;
 * a type the subgraph has no use for is taken (202) and ignored.
 */
export function defineWebhookContract(target: WebhookTarget): void {
  const event = (entity: string, type = target.type) => {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      type,
      occurredAt: new Date().toISOString(),
      data: target.dataOf(entity),
    });
    return { id, body };
  };
  const post = (body: string, headers: Record<string, string>) =>
    fetch(target.webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const codeOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string } }).error.code;

  it('applies an event delivered twice (same id) once', async () => {
    const entity = target.entities().duplicate;
    await target.warm(entity);
    await target.resetCounters();
    const { id, body } = event(entity);
    const first = await post(body, webhookHeaders(devWebhookSecret, id, body));
    const second = await post(body, webhookHeaders(devWebhookSecret, id, body));
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(await first.json()).toMatchObject({ id, accepted: true });
    expect(await second.json()).toMatchObject({ id, accepted: false, reason: 'duplicate' });
    // Applying re-reads the entity from its upstream once: one call, not two.
    await expect.poll(target.upstreamCalls, { timeout: 3_000, interval: 25 }).toBe(1);
    await sleep(200);
    expect(await target.upstreamCalls()).toBe(1);
  });

  it('refuses a forged, unsigned or stale webhook with its code; 400 without its entity; 202 for a type it does not handle', async () => {
    const entity = target.entities().refusals;
    const { id, body } = event(entity);
    const forged = await post(body, webhookHeaders('not-the-secret-0123456789abcdef0', id, body));
    expect(forged.status).toBe(401);
    expect(await codeOf(forged)).toBe('WEBHOOK_SIGNATURE_INVALID');
    const unsigned = await post(body, {});
    expect(unsigned.status).toBe(401);
    expect(await codeOf(unsigned)).toBe('WEBHOOK_SIGNATURE_INVALID');
    // Correctly signed, ten minutes ago: a replayed capture.
    const old = Math.floor(Date.now() / 1000) - 600;
    const stale = await post(body, {
      'webhook-id': id,
      'webhook-timestamp': String(old),
      'webhook-signature': signWebhook(devWebhookSecret, id, old, body),
    });
    expect(stale.status).toBe(401);
    expect(await codeOf(stale)).toBe('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE');

    // Signed, but naming no entity: refused, so that the sender's logs show it.
    const noEntity = JSON.stringify({ id, type: target.type, occurredAt: 'now', data: {} });
    const malformed = await post(noEntity, webhookHeaders(devWebhookSecret, id, noEntity));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringContaining(target.type) },
    });
    const other = event(entity, 'something.else');
    const ignored = await post(other.body, webhookHeaders(devWebhookSecret, other.id, other.body));
    expect(ignored.status).toBe(202);
    expect(await ignored.json()).toMatchObject({ accepted: false, reason: 'type not handled' });
  });
}

import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { signWebhook, verifyWebhook, webhookHeaders } from '../src/index.js';

const secret = 'a-webhook-secret-of-32-characters!';
const body = '{"id":"evt_1","type":"stock.changed","data":{"item_code":"SKU-1"}}';
const now = new Date('2026-01-01T12:00:00Z');
const verify = (headers: Record<string, string>, at = now, payload = body) =>
  verifyWebhook({ secret, headers, body: Buffer.from(payload), toleranceSeconds: 300, now: at });

describe('Standard Webhooks signatures', () => {
  it('signs `${id}.${timestamp}.${body}` with HMAC-SHA256, base64, under v1', () => {
    const mac = createHmac('sha256', secret).update(`evt_1.1767268800.${body}`).digest('base64');
    expect(signWebhook(secret, 'evt_1', 1767268800, body)).toBe(`v1,${mac}`);
  });

  it('accepts what it signed, within the tolerance either way', () => {
    const headers = webhookHeaders(secret, 'evt_1', body, now);
    expect(verify(headers)).toMatchObject({ ok: true, id: 'evt_1' });
    expect(verify(headers, new Date(now.getTime() + 299_000)).ok).toBe(true);
    expect(verify(headers, new Date(now.getTime() - 299_000)).ok).toBe(true);
  });

  it('accepts any one of several signatures (a secret being rotated)', () => {
    const headers = webhookHeaders(secret, 'evt_1', body, now);
    headers['webhook-signature'] = `v1,AAAA ${headers['webhook-signature']}`;
    expect(verify(headers).ok).toBe(true);
  });

  it('refuses another body, another secret, missing headers', () => {
    const headers = webhookHeaders(secret, 'evt_1', body, now);
    expect(verify(headers, now, `${body} `)).toMatchObject({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(verify(webhookHeaders(`${secret}x`, 'evt_1', body, now))).toMatchObject({
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(verify({})).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    // The id is signed: a delivery cannot be passed off as another event.
    expect(verify({ ...headers, 'webhook-id': 'evt_2' })).toMatchObject({
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
  });

  it('refuses a timestamp outside the tolerance, or not a number', () => {
    const headers = webhookHeaders(secret, 'evt_1', body, now);
    expect(verify(headers, new Date(now.getTime() + 301_000))).toMatchObject({
      ok: false,
      code: 'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
    });
    expect(verify({ ...headers, 'webhook-timestamp': 'soon' })).toMatchObject({
      code: 'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
    });
  });
});

import { createHmac, timingSafeEqual } from 'node:crypto';

import { ErrorCode } from '../errors.js';

// The Standard Webhooks scheme (standardwebhooks.com), on node:crypto. The
// `standardwebhooks` package computes HMAC-SHA256 in JavaScript (fast-sha256)
// and wants `whsec_` base64 secrets; the scheme itself is this short, and
// node's HMAC is native.

/**
 * Development only: the sandboxes sign with it (SANDBOX_WEBHOOK_SECRET) and
 * the subgraphs verify with it (WEBHOOK_SECRET) unless told otherwise. It is
 * public, so production refuses to start without a secret of its own.
 */
export const devWebhookSecret = 'dev-only-webhook-secret-0123456789abcdef';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** `v1,<base64 HMAC-SHA256(secret, "${id}.${timestamp}.${body}")>` */
export function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac('sha256', secret).update(`${id}.${timestampSeconds}.${body}`).digest();
  return `v1,${mac.toString('base64')}`;
}

/** The three headers a sender puts on one delivery. */
export function webhookHeaders(
  secret: string,
  id: string,
  body: string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, id, timestamp, body),
  };
}

export type WebhookVerdict =
  | { ok: true; id: string; timestampSeconds: number }
  | {
      ok: false;
      code:
        | typeof ErrorCode.WEBHOOK_SIGNATURE_INVALID
        | typeof ErrorCode.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE;
      reason: string;
    };

/**
 * Checks one delivery: the signature over the exact bytes received (any of
 * the space-separated `v1,` signatures may match, so a sender can rotate its
 * secret), and a timestamp within `toleranceSeconds` of now either way, so a
 * captured delivery cannot be replayed later.
 */
export function verifyWebhook(options: {
  secret: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
  toleranceSeconds: number;
  now?: Date;
}): WebhookVerdict {
  const header = (name: string) => {
    const value = options.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const id = header(WEBHOOK_ID_HEADER);
  const timestampText = header(WEBHOOK_TIMESTAMP_HEADER);
  const signatures = header(WEBHOOK_SIGNATURE_HEADER);
  if (!id || !timestampText || !signatures) {
    return {
      ok: false,
      code: ErrorCode.WEBHOOK_SIGNATURE_INVALID,
      reason: `${WEBHOOK_ID_HEADER}, ${WEBHOOK_TIMESTAMP_HEADER} and ${WEBHOOK_SIGNATURE_HEADER} are required`,
    };
  }
  const timestampSeconds = /^\d{1,12}$/.test(timestampText) ? Number(timestampText) : NaN;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (
    !Number.isFinite(timestampSeconds) ||
    Math.abs(nowSeconds - timestampSeconds) > options.toleranceSeconds
  ) {
    return {
      ok: false,
      code: ErrorCode.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE,
      reason: `${WEBHOOK_TIMESTAMP_HEADER} is not within ${options.toleranceSeconds} s of now`,
    };
  }
  const body = typeof options.body === 'string' ? options.body : options.body.toString('utf8');
  const expected = Buffer.from(
    signWebhook(options.secret, id, timestampSeconds, body).slice(3),
    'base64',
  );
  const matches = signatures.split(' ').some((entry) => {
    if (!entry.startsWith('v1,')) return false;
    const given = Buffer.from(entry.slice(3), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches
    ? { ok: true, id, timestampSeconds }
    : {
        ok: false,
        code: ErrorCode.WEBHOOK_SIGNATURE_INVALID,
        reason: 'no signature matches the body',
      };
}

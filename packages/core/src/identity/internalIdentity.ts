import { SignJWT, jwtVerify } from 'jose';

import type { Consumer, ConsumerClass } from './Consumer.js';
import { anonymousConsumer, consumerClasses } from './Consumer.js';

/** The header the gateway forwards the verified consumer in. */
export const INTERNAL_IDENTITY_HEADER = 'x-consumer-identity';

const issuer = 'bff-gateway';
const audience = 'bff-subgraphs';

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export interface InternalIdentitySignerOptions {
  /** How long a signed identity is valid. @default 300 */
  lifetimeSeconds?: number;
  now?: () => number;
}

/**
 * Signs the consumer the gateway verified, for the subgraphs to check again
 * (defence in depth): an HS256 JWT over id, class and scopes, short-lived.
 * The gateway's consumers are long-lived objects (one per verified token or
 * API key), so each one's signature is kept with it and reused until
 * shortly before it expires: one HMAC per consumer per few minutes.
 */
export class InternalIdentitySigner {
  private readonly key: Uint8Array;
  private readonly cache = new WeakMap<Consumer, { token: string; renewAt: number }>();
  private readonly lifetimeSeconds: number;
  private readonly now: () => number;

  constructor(secret: string, options: InternalIdentitySignerOptions = {}) {
    this.key = keyOf(secret);
    this.lifetimeSeconds = options.lifetimeSeconds ?? 300;
    this.now = options.now ?? Date.now;
  }

  async sign(consumer: Consumer): Promise<string> {
    const cached = this.cache.get(consumer);
    const now = this.now();
    if (cached && cached.renewAt > now) return cached.token;
    const seconds = Math.floor(now / 1000);
    const token = await new SignJWT({ cls: consumer.class, scp: [...consumer.scopes].sort() })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(consumer.id)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + this.lifetimeSeconds)
      .sign(this.key);
    // Renewed at four fifths of its life: never sent about to expire.
    this.cache.set(consumer, { token, renewAt: now + this.lifetimeSeconds * 800 });
    return token;
  }
}

export class IdentityRejected extends Error {
  override name = 'IdentityRejected';
}

/**
 * The subgraphs' side: a missing header is the anonymous consumer (a request
 * that did not come through the gateway sees public data only); a header that
 * does not verify is refused. Verified tokens are remembered until they
 * expire, since the gateway reuses each consumer's token.
 */
export class InternalIdentityVerifier {
  private readonly key: Uint8Array;
  private readonly cache = new Map<string, { consumer: Consumer; expiresAt: number }>();

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = keyOf(secret);
  }

  async verify(header: string | string[] | undefined): Promise<Consumer> {
    if (header === undefined || header === '') return anonymousConsumer;
    if (Array.isArray(header)) throw new IdentityRejected('more than one forwarded identity');
    const cached = this.cache.get(header);
    if (cached && cached.expiresAt > this.now()) return cached.consumer;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(header, this.key, {
        issuer,
        audience,
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new IdentityRejected(`forwarded identity does not verify: ${(error as Error).message}`);
    }
    const cls = payload.cls as ConsumerClass;
    const scopes = payload.scp;
    if (
      typeof payload.sub !== 'string' ||
      !consumerClasses.includes(cls) ||
      !Array.isArray(scopes) ||
      !scopes.every((s) => typeof s === 'string')
    ) {
      throw new IdentityRejected('forwarded identity has malformed claims');
    }
    const consumer: Consumer = Object.freeze({
      id: payload.sub,
      class: cls,
      scopes: new Set(scopes as string[]),
    });
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(header, { consumer, expiresAt: ((payload.exp as number) ?? 0) * 1000 });
    return consumer;
  }
}

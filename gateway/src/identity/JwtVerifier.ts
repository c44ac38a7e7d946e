import { hash } from 'node:crypto';

import type { Consumer, ConsumerClass } from '@bff/core';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

import { AuthenticationError } from './AuthenticationError.js';

export interface JwtVerifierOptions {
  /** Where the signing keys come from: a JWKS URL, a JWKS document, or (development) an HS256 secret. */
  keys: { jwksUrl: string } | { jwks: JSONWebKeySet } | { hs256Secret: string };
  issuer: string;
  /** Expected `aud`; unchecked when undefined. */
  audience: string | undefined;
  /** Tolerance on exp and nbf. */
  clockSkewSeconds: number;
  /** The claim that names the consumer class ('authenticated', 'partner' or 'internal'). */
  classClaim: string;
  now?: () => number;
}

const tokenClasses: readonly ConsumerClass[] = ['authenticated', 'partner', 'internal'];

/**
 * Verifies bearer JWTs with jose: RS256/ES256 against a JWKS (HS256 only with
 * a development secret), issuer, audience, exp and nbf with a small clock
 * skew. A verified token is remembered (by its hash) until it expires, so a
 * client that sends the same token on every request costs one signature check.
 */
export class JwtVerifier {
  private readonly key: JWTVerifyGetKey | Uint8Array;
  private readonly algorithms: string[];
  private readonly cache = new LRUCache<string, { consumer: Consumer; expiresAt: number }>({
    max: 10_000,
  });
  private readonly now: () => number;

  constructor(private readonly options: JwtVerifierOptions) {
    this.now = options.now ?? Date.now;
    const { keys } = options;
    if ('hs256Secret' in keys) {
      this.key = new TextEncoder().encode(keys.hs256Secret);
      this.algorithms = ['HS256'];
    } else {
      this.key =
        'jwksUrl' in keys
          ? createRemoteJWKSet(new URL(keys.jwksUrl))
          : createLocalJWKSet(keys.jwks);
      this.algorithms = ['RS256', 'ES256'];
    }
  }

  async verify(token: string): Promise<Consumer> {
    // One-shot hash: no Hash object per request (the token is hashed on every one).
    const cacheKey = hash('sha256', token, 'base64url');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > this.now()) return cached.consumer;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as JWTVerifyGetKey, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.algorithms,
        clockTolerance: this.options.clockSkewSeconds,
        currentDate: new Date(this.now()),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new AuthenticationError(messageFor(error), (error as Error).message);
    }
    const consumer = this.consumerOf(payload);
    const expiresAt = (payload.exp ?? 0) * 1000 + this.options.clockSkewSeconds * 1000;
    this.cache.set(cacheKey, { consumer, expiresAt });
    return consumer;
  }

  private consumerOf(payload: JWTPayload): Consumer {
    // jose checks that `sub` is there, not what it is.
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new AuthenticationError(
        'The bearer token has no subject.',
        `sub of type ${typeof payload.sub}`,
      );
    }
    const claimed = payload[this.options.classClaim];
    if (claimed !== undefined && !tokenClasses.includes(claimed as ConsumerClass)) {
      throw new AuthenticationError(
        'The bearer token names an unknown consumer class.',
        typeof claimed === 'string'
          ? `class claim "${claimed.slice(0, 40)}"`
          : `class claim of type ${typeof claimed}`,
      );
    }
    return Object.freeze({
      id: payload.sub,
      class: (claimed as ConsumerClass | undefined) ?? 'authenticated',
      scopes: new Set(scopesOf(payload)),
    });
  }
}

/** OAuth2's space-separated `scope`, or an `scp` list (Azure AD, Okta). */
function scopesOf(payload: JWTPayload): string[] {
  const scopes: string[] = [];
  for (const claim of [payload.scope, payload.scp]) {
    if (typeof claim === 'string') scopes.push(...claim.split(' ').filter(Boolean));
    else if (Array.isArray(claim))
      scopes.push(...claim.filter((s): s is string => typeof s === 'string'));
  }
  return scopes;
}

function messageFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The bearer token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed)
    return 'The bearer token is not valid for this API.';
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey
  ) {
    return 'The bearer token signature does not verify.';
  }
  return 'The bearer token is not valid.';
}

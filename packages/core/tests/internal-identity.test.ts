import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';

import { anonymousConsumer } from '../src/identity/Consumer.js';
import type { Consumer } from '../src/identity/Consumer.js';
import {
  IdentityRejected,
  INTERNAL_IDENTITY_HEADER,
  InternalIdentitySigner,
  InternalIdentityVerifier,
} from '../src/identity/internalIdentity.js';

const secret = 'internal-identity-secret-for-tests-0123456789';
/** A fixed clock, so that expiry is a matter of moving `now`. */
const t0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const s0 = Math.floor(t0 / 1000);

const consumer = (
  scopes: string[] = ['crm:read', 'erp:read'],
  cls: Consumer['class'] = 'partner',
  id = 'acme',
): Consumer => Object.freeze({ id, class: cls, scopes: new Set(scopes) });

/** The IdentityRejected `run` rejects with. */
async function rejection(run: Promise<unknown>): Promise<IdentityRejected> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdentityRejected);
  return error as IdentityRejected;
}

/** A token signed with the real secret, issuer and audience, but claims of our choosing. */
function signRaw(claims: JWTPayload, key = secret): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('bff-gateway')
    .setAudience('bff-subgraphs')
    .setIssuedAt(s0)
    .setExpirationTime(s0 + 300)
    .sign(new TextEncoder().encode(key));
}

describe('internal identity', () => {
  it('travels in x-consumer-identity', () => {
    expect(INTERNAL_IDENTITY_HEADER).toBe('x-consumer-identity');
  });

  describe('round trip', () => {
    it.each(['authenticated', 'partner', 'internal'] as const)(
      'carries id, class %s and scopes from signer to verifier',
      async (cls) => {
        const signer = new InternalIdentitySigner(secret, { now: () => t0 });
        const verifier = new InternalIdentityVerifier(secret, () => t0);
        const original = consumer(['inventory:write', 'crm:read'], cls, `caller-${cls}`);
        const verified = await verifier.verify(await signer.sign(original));
        expect(verified).toEqual(original);
        expect(verified.id).toBe(`caller-${cls}`);
        expect(verified.class).toBe(cls);
        expect([...verified.scopes].sort()).toEqual(['crm:read', 'inventory:write']);
        expect(Object.isFrozen(verified)).toBe(true);
      },
    );

    it('carries a consumer with no scopes', async () => {
      const signer = new InternalIdentitySigner(secret, { now: () => t0 });
      const verifier = new InternalIdentityVerifier(secret, () => t0);
      const verified = await verifier.verify(await signer.sign(consumer([], 'authenticated')));
      expect(verified.scopes.size).toBe(0);
    });

    it('signs an HS256 JWT from bff-gateway to bff-subgraphs with sorted scopes', async () => {
      const token = await new InternalIdentitySigner(secret, { now: () => t0 }).sign(
        consumer(['b', 'c', 'a']),
      );
      expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256' });
      expect(decodeJwt(token)).toEqual({
        sub: 'acme',
        cls: 'partner',
        scp: ['a', 'b', 'c'],
        iss: 'bff-gateway',
        aud: 'bff-subgraphs',
        iat: s0,
        exp: s0 + 300,
      });
    });

    it('accepts the same header twice, giving the same consumer from its cache', async () => {
      const signer = new InternalIdentitySigner(secret, { now: () => t0 });
      const verifier = new InternalIdentityVerifier(secret, () => t0);
      const token = await signer.sign(consumer());
      expect(await verifier.verify(token)).toBe(await verifier.verify(token));
    });
  });

  describe('no identity', () => {
    it('reads a missing header as the anonymous consumer', async () => {
      const verifier = new InternalIdentityVerifier(secret);
      expect(await verifier.verify(undefined)).toBe(anonymousConsumer);
    });

    it('reads an empty header as the anonymous consumer', async () => {
      const verifier = new InternalIdentityVerifier(secret);
      expect(await verifier.verify('')).toBe(anonymousConsumer);
    });
  });

  describe('refusals', () => {
    it('refuses the header sent more than once', async () => {
      const token = await new InternalIdentitySigner(secret).sign(consumer());
      const verifier = new InternalIdentityVerifier(secret);
      const error = await rejection(verifier.verify([token, token]));
      expect(error.name).toBe('IdentityRejected');
      expect(error.message).toBe('more than one forwarded identity');
    });

    it('refuses a token signed with another secret', async () => {
      const forged = await new InternalIdentitySigner('another-secret-of-decent-length-000', {
        now: () => t0,
      }).sign(consumer());
      const error = await rejection(new InternalIdentityVerifier(secret, () => t0).verify(forged));
      expect(error.message).toMatch(/^forwarded identity does not verify: /);
    });

    it('refuses an expired token', async () => {
      const token = await new InternalIdentitySigner(secret, { now: () => t0 }).sign(consumer());
      const late = new InternalIdentityVerifier(secret, () => t0 + 301_000);
      const error = await rejection(late.verify(token));
      expect(error.message).toMatch(/"exp"/);
    });

    it('refuses a token it accepted once it has expired, despite its cache', async () => {
      let now = t0;
      const token = await new InternalIdentitySigner(secret, { now: () => t0 }).sign(consumer());
      const verifier = new InternalIdentityVerifier(secret, () => now);
      await verifier.verify(token);
      now = t0 + 299_000;
      await verifier.verify(token);
      now = t0 + 301_000;
      await rejection(verifier.verify(token));
    });

    it('refuses a token whose payload was altered', async () => {
      const token = await new InternalIdentitySigner(secret, { now: () => t0 }).sign(
        consumer(['crm:read'], 'authenticated'),
      );
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload;
      const raised = Buffer.from(
        JSON.stringify({ ...claims, cls: 'internal', scp: ['crm:pii', 'crm:read'] }),
      ).toString('base64url');
      const verifier = new InternalIdentityVerifier(secret, () => t0);
      const error = await rejection(verifier.verify(`${header}.${raised}.${signature}`));
      expect(error.message).toMatch(/signature/);
    });

    it('refuses something that is not a JWT', async () => {
      await rejection(new InternalIdentityVerifier(secret).verify('not.a.jwt'));
    });

    it('refuses a token from another issuer or for another audience', async () => {
      const verifier = new InternalIdentityVerifier(secret, () => t0);
      const key = new TextEncoder().encode(secret);
      const base = new SignJWT({ cls: 'internal', scp: [] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuedAt(s0)
        .setExpirationTime(s0 + 300);
      await rejection(
        verifier.verify(await base.setIssuer('someone').setAudience('bff-subgraphs').sign(key)),
      );
      await rejection(
        verifier.verify(await base.setIssuer('bff-gateway').setAudience('elsewhere').sign(key)),
      );
    });

    it.each([
      ['an unknown class', { sub: 'x', cls: 'root', scp: [] }],
      ['no class', { sub: 'x', scp: [] }],
      ['scopes as a string', { sub: 'x', cls: 'partner', scp: 'crm:read' }],
      ['no scopes', { sub: 'x', cls: 'partner' }],
      ['a non-string scope', { sub: 'x', cls: 'partner', scp: ['crm:read', 42] }],
    ])('refuses a validly signed token with %s', async (_what, claims) => {
      const verifier = new InternalIdentityVerifier(secret, () => t0);
      const error = await rejection(verifier.verify(await signRaw(claims)));
      expect(error.message).toBe('forwarded identity has malformed claims');
    });

    it('refuses a validly signed token without a subject', async () => {
      const verifier = new InternalIdentityVerifier(secret, () => t0);
      const error = await rejection(verifier.verify(await signRaw({ cls: 'partner', scp: [] })));
      expect(error.message).toMatch(/^forwarded identity does not verify: .*"sub"/);
    });

    it('accepts a validly signed token it did not mint, when its claims are well formed', async () => {
      // The check is on the claims, not on who produced the JWT: this is the control for the above.
      const verifier = new InternalIdentityVerifier(secret, () => t0);
      const verified = await verifier.verify(
        await signRaw({ sub: 'svc', cls: 'internal', scp: ['x'] }),
      );
      expect(verified).toEqual({ id: 'svc', class: 'internal', scopes: new Set(['x']) });
    });
  });

  describe('signer reuse', () => {
    it('reuses the token for the same consumer until four fifths of its life, then renews', async () => {
      let now = t0;
      const signer = new InternalIdentitySigner(secret, { now: () => now });
      const caller = consumer();
      const first = await signer.sign(caller);
      now = t0 + 239_999; // just short of 4/5 of 300 s
      expect(await signer.sign(caller)).toBe(first);
      now = t0 + 240_000;
      const renewed = await signer.sign(caller);
      expect(renewed).not.toBe(first);
      expect(decodeJwt(renewed).iat).toBe(s0 + 240);
      expect(decodeJwt(renewed).exp).toBe(s0 + 540);
      // And the renewed one is reused in turn.
      now = t0 + 300_000;
      expect(await signer.sign(caller)).toBe(renewed);
    });

    it('signs an equal but distinct consumer object afresh', async () => {
      let now = t0;
      const signer = new InternalIdentitySigner(secret, { now: () => now });
      const first = await signer.sign(consumer(['a'], 'partner', 'p1'));
      now = t0 + 1_000;
      // The cache is per object: another object (another token, another key) is signed anew.
      const other = await signer.sign(consumer(['a'], 'partner', 'p1'));
      expect(other).not.toBe(first);
      expect(decodeJwt(other).iat).toBe(s0 + 1);
    });

    it('keeps each consumer its own token', async () => {
      const signer = new InternalIdentitySigner(secret, { now: () => t0 });
      const a = consumer(['a'], 'partner', 'a');
      const b = consumer(['b'], 'partner', 'b');
      const [ta, tb] = [await signer.sign(a), await signer.sign(b)];
      expect(decodeJwt(ta).sub).toBe('a');
      expect(decodeJwt(tb).sub).toBe('b');
      expect(await signer.sign(a)).toBe(ta);
    });

    it('respects lifetimeSeconds, for the token and for when it is renewed', async () => {
      let now = t0;
      const signer = new InternalIdentitySigner(secret, { lifetimeSeconds: 60, now: () => now });
      const caller = consumer();
      const first = await signer.sign(caller);
      const claims = decodeJwt(first);
      expect((claims.exp as number) - (claims.iat as number)).toBe(60);
      now = t0 + 47_999;
      expect(await signer.sign(caller)).toBe(first);
      now = t0 + 48_000;
      expect(await signer.sign(caller)).not.toBe(first);
    });

    it('defaults to a 300 second lifetime', async () => {
      const claims = decodeJwt(await new InternalIdentitySigner(secret).sign(consumer()));
      expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    });

    it("signs the anonymous consumer, which the verifier accepts as 'anonymous'", async () => {
      const token = await new InternalIdentitySigner(secret, { now: () => t0 }).sign(
        anonymousConsumer,
      );
      const verified = await new InternalIdentityVerifier(secret, () => t0).verify(token);
      expect(verified).toMatchObject({ id: 'anonymous', class: 'anonymous' });
      expect(verified.scopes.size).toBe(0);
    });
  });
});

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, importJWK, SignJWT, UnsecuredJWT } from 'jose';
import type { JSONWebKeySet, JWK, JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AuthenticationError } from '../src/identity/AuthenticationError.js';
import { JwtVerifier } from '../src/identity/JwtVerifier.js';
import type { JwtVerifierOptions } from '../src/identity/JwtVerifier.js';
import { signToken } from '../src/identity/signToken.js';

const issuer = 'https://idp.example.test/';
const audience = 'erp-crm-graph';
const hs256Secret = 'a-development-secret-that-is-long-enough-for-hs256';
/** A fixed clock: every token and verifier in this file agrees on "now". */
const t0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const s0 = Math.floor(t0 / 1000);

interface KeyPair {
  privateJwk: JWK;
  publicJwk: JWK;
}

async function keyPair(alg: 'RS256' | 'ES256', kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

let rsa: KeyPair;
let ec: KeyPair;
/** Not in the JWKS: signs tokens that must not verify. */
let stranger: KeyPair;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  [rsa, ec, stranger] = await Promise.all([
    keyPair('RS256', 'rsa-1'),
    keyPair('ES256', 'ec-1'),
    keyPair('ES256', 'ec-stranger'),
  ]);
  jwks = { keys: [rsa.publicJwk, ec.publicJwk] };
});

function verifier(options: Partial<JwtVerifierOptions> = {}): JwtVerifier {
  return new JwtVerifier({
    keys: { jwks },
    issuer,
    audience,
    clockSkewSeconds: 30,
    classClaim: 'consumer_class',
    now: () => t0,
    ...options,
  });
}

/** A token with exactly these claims (nothing added), signed by `key`. */
async function signClaims(
  claims: Record<string, unknown>,
  key: KeyPair = ec,
  header: { alg?: string; kid?: string } = {},
): Promise<string> {
  const alg = header.alg ?? (key.privateJwk.alg as string);
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg, kid: header.kid ?? key.privateJwk.kid })
    .sign(await importJWK(key.privateJwk, alg));
}

/** The usual claims, valid at t0 for an hour; each test overrides what it is about. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'user-1', iss: issuer, aud: audience, iat: s0, exp: s0 + 3_600, ...overrides };
}

/** The usual claims without `name`. */
function claimsWithout(name: string): Record<string, unknown> {
  const all: Record<string, unknown> = claims();
  delete all[name];
  return all;
}

/** The AuthenticationError `run` rejects with. */
async function refusal(run: Promise<unknown>): Promise<AuthenticationError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

/** Neither the message nor the log detail may carry the token or any part of it. */
function expectNoTokenIn(error: AuthenticationError, token: string): void {
  const shown = `${error.message} ${error.detail ?? ''} ${String(error)} ${JSON.stringify(error)}`;
  expect(shown).not.toContain(token);
  for (const part of token.split('.').filter((p) => p.length > 8)) {
    expect(shown).not.toContain(part);
  }
}

describe('JwtVerifier', () => {
  describe('signatures', () => {
    it('verifies an RS256 token against a local JWKS', async () => {
      const token = await signToken(
        { sub: 'user-rsa', scopes: ['crm:read'], issuer, audience },
        { privateJwk: rsa.privateJwk },
        t0,
      );
      const consumer = await verifier().verify(token);
      expect(consumer.id).toBe('user-rsa');
      expect(consumer.class).toBe('authenticated');
      expect([...consumer.scopes]).toEqual(['crm:read']);
    });

    it('verifies an ES256 token against a local JWKS', async () => {
      const token = await signToken(
        { sub: 'user-ec', class: 'partner', issuer, audience },
        { privateJwk: ec.privateJwk },
        t0,
      );
      expect(await verifier().verify(token)).toMatchObject({ id: 'user-ec', class: 'partner' });
    });

    it('verifies an HS256 token with the development secret', async () => {
      const token = await signToken({ sub: 'dev-user', issuer }, { hs256Secret }, t0);
      const consumer = await verifier({ keys: { hs256Secret }, audience: undefined }).verify(token);
      expect(consumer.id).toBe('dev-user');
    });

    it('refuses an HS256 token signed with another secret', async () => {
      const token = await signToken(
        { sub: 'dev-user', issuer },
        { hs256Secret: 'x'.repeat(40) },
        t0,
      );
      const error = await refusal(
        verifier({ keys: { hs256Secret }, audience: undefined }).verify(token),
      );
      expect(error.message).toBe('The bearer token signature does not verify.');
    });

    it('refuses an RS256 token when configured for an HS256 secret', async () => {
      const token = await signClaims(claims(), rsa);
      const error = await refusal(verifier({ keys: { hs256Secret } }).verify(token));
      expect(error.detail).toMatch(/alg.*not allowed/);
    });

    it('refuses a token signed by a key outside the JWKS, under an unknown kid', async () => {
      const token = await signClaims(claims(), stranger);
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token signature does not verify.');
    });

    it('refuses a token signed by another key under a kid the JWKS knows', async () => {
      // The kid matches ec-1, so the key is found and the signature check itself fails.
      const token = await signClaims(claims(), stranger, { kid: 'ec-1' });
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token signature does not verify.');
    });

    it('refuses a token whose payload was altered after signing', async () => {
      const token = await signClaims(claims({ scope: 'crm:read' }));
      const [header, , signature] = token.split('.');
      const forged = Buffer.from(JSON.stringify(claims({ scope: 'crm:read crm:pii' }))).toString(
        'base64url',
      );
      const error = await refusal(verifier().verify(`${header}.${forged}.${signature}`));
      expect(error.message).toBe('The bearer token signature does not verify.');
    });

    it('refuses something that is not a JWT at all', async () => {
      const error = await refusal(verifier().verify('not-a-jwt'));
      expect(error.message).toBe('The bearer token is not valid.');
    });
  });

  describe('algorithm confusion', () => {
    it('refuses an unsecured (alg: none) token when configured for a JWKS', async () => {
      const token = new UnsecuredJWT(claims()).encode();
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token is not valid.');
      expect(error.detail).toMatch(/alg.*not allowed/);
    });

    it('refuses an HS256 token when configured for a JWKS', async () => {
      // Even one keyed with the public key's text, the classic confusion attack.
      const publicKeyText = JSON.stringify(ec.publicJwk);
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'ec-1' })
        .sign(new TextEncoder().encode(publicKeyText));
      expect((await refusal(verifier().verify(token))).detail).toMatch(/alg.*not allowed/);
      const devToken = await signToken({ sub: 'u', issuer, audience }, { hs256Secret }, t0);
      expect((await refusal(verifier().verify(devToken))).detail).toMatch(/alg.*not allowed/);
    });
  });

  describe('a JWKS URL', () => {
    let server: Server;
    let jwksUrl: string;
    const fetched: string[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        fetched.push(req.url ?? '');
        const body = JSON.stringify(jwks);
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    });

    it('fetches the keys from the URL and verifies RS256 and ES256 tokens', async () => {
      const remote = verifier({ keys: { jwksUrl } });
      const rsToken = await signClaims(claims({ sub: 'remote-rs' }), rsa);
      const esToken = await signClaims(claims({ sub: 'remote-es' }), ec);
      expect((await remote.verify(rsToken)).id).toBe('remote-rs');
      expect((await remote.verify(esToken)).id).toBe('remote-es');
      expect(fetched).toContain('/.well-known/jwks.json');
    });

    it('refuses a token signed by a key the URL does not serve', async () => {
      const remote = verifier({ keys: { jwksUrl } });
      const error = await refusal(remote.verify(await signClaims(claims(), stranger)));
      expect(error.message).toBe('The bearer token signature does not verify.');
    });

    it('refuses, as an AuthenticationError, when the JWKS URL cannot be reached', async () => {
      // A port that was just free: nothing listens there any more.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const unreachable = verifier({ keys: { jwksUrl: `http://127.0.0.1:${port}/jwks.json` } });
      const error = await refusal(unreachable.verify(await signClaims(claims())));
      expect(error.message).toBe('The bearer token is not valid.');
    });
  });

  describe('claims', () => {
    it('refuses a token from another issuer', async () => {
      const token = await signClaims(claims({ iss: 'https://evil.example.test/' }));
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token is not valid for this API.');
    });

    it('refuses a token for another audience when an audience is configured', async () => {
      const token = await signClaims(claims({ aud: 'someone-else' }));
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token is not valid for this API.');
    });

    it('refuses a token with no audience when an audience is configured', async () => {
      const error = await refusal(verifier().verify(await signClaims(claimsWithout('aud'))));
      expect(error.message).toBe('The bearer token is not valid for this API.');
    });

    it('does not check the audience when none is configured', async () => {
      const open = verifier({ audience: undefined });
      expect((await open.verify(await signClaims(claims({ aud: 'someone-else' })))).id).toBe(
        'user-1',
      );
      expect((await open.verify(await signClaims(claimsWithout('aud')))).id).toBe('user-1');
    });

    it('refuses a token expired beyond the clock skew', async () => {
      const token = await signClaims(claims({ iat: s0 - 3_600, exp: s0 - 31 }));
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token has expired.');
    });

    it('accepts a token expired within the clock skew', async () => {
      const token = await signClaims(claims({ iat: s0 - 3_600, exp: s0 - 29 }));
      expect((await verifier().verify(token)).id).toBe('user-1');
    });

    it('refuses a token whose nbf is in the future beyond the clock skew', async () => {
      const token = await signClaims(claims({ nbf: s0 + 31 }));
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token is not valid for this API.');
    });

    it('accepts a token whose nbf is in the future within the clock skew', async () => {
      const token = await signClaims(claims({ nbf: s0 + 29 }));
      expect((await verifier().verify(token)).id).toBe('user-1');
    });

    it('refuses a token without sub', async () => {
      const error = await refusal(verifier().verify(await signClaims(claimsWithout('sub'))));
      expect(error.message).toBe('The bearer token is not valid for this API.');
      expect(error.detail).toContain('"sub"');
    });

    it('refuses a token without exp', async () => {
      // A token that never expires is not one we accept, however it is signed.
      const error = await refusal(verifier().verify(await signClaims(claimsWithout('exp'))));
      expect(error.message).toBe('The bearer token is not valid for this API.');
      expect(error.detail).toContain('"exp"');
    });
  });

  describe('claims of the wrong type', () => {
    // jose checks that `sub` is present, not what it is: a consumer id must be a real string.
    it.each([null, 42, ''])('refuses a token whose sub is %j', async (sub) => {
      const error = await refusal(verifier().verify(await signClaims({ ...claims(), sub })));
      expect(error.message).toBe('The bearer token has no subject.');
    });

    // An object class claim must not break the refusal (String() of it can throw).
    it('refuses a class claim that is an object, as an AuthenticationError', async () => {
      const token = await signClaims(claims({ consumer_class: { toString: 1 } }));
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token names an unknown consumer class.');
    });

    it('refuses a class claim that is an ordinary object or a number', async () => {
      for (const cls of [{ role: 'internal' }, 1, ['internal']]) {
        const error = await refusal(
          verifier().verify(await signClaims(claims({ consumer_class: cls }))),
        );
        expect(error.message).toBe('The bearer token names an unknown consumer class.');
      }
    });
  });

  describe('scopes and class', () => {
    it('reads space-separated scopes from scope, ignoring repeated spaces', async () => {
      const token = await signClaims(claims({ scope: 'crm:read  erp:read inventory:write ' }));
      expect([...(await verifier().verify(token)).scopes].sort()).toEqual([
        'crm:read',
        'erp:read',
        'inventory:write',
      ]);
    });

    it('reads scopes from an scp array, skipping non-strings', async () => {
      const token = await signClaims(claims({ scp: ['crm:read', 'crm:pii', 7, null] }));
      expect([...(await verifier().verify(token)).scopes].sort()).toEqual(['crm:pii', 'crm:read']);
    });

    it('reads a space-separated scp string (Azure AD)', async () => {
      const token = await signClaims(claims({ scp: 'orders.read customers.read' }));
      expect([...(await verifier().verify(token)).scopes].sort()).toEqual([
        'customers.read',
        'orders.read',
      ]);
    });

    it('unions scope and scp when both are present', async () => {
      const token = await signClaims(claims({ scope: 'a b', scp: ['c'] }));
      expect([...(await verifier().verify(token)).scopes].sort()).toEqual(['a', 'b', 'c']);
    });

    it('gives no scopes when the token has none', async () => {
      expect((await verifier().verify(await signClaims(claims()))).scopes.size).toBe(0);
    });

    it("defaults the class to 'authenticated' when the claim is absent", async () => {
      expect((await verifier().verify(await signClaims(claims()))).class).toBe('authenticated');
    });

    it.each(['authenticated', 'partner', 'internal'] as const)(
      "accepts the class '%s'",
      async (cls) => {
        const token = await signClaims(claims({ consumer_class: cls }));
        expect((await verifier().verify(token)).class).toBe(cls);
      },
    );

    it.each(['anonymous', 'admin', 'root', ''])("refuses the class '%s'", async (cls) => {
      // 'anonymous' too: a token must never claim to be no one.
      const token = await signClaims(claims({ consumer_class: cls }));
      const error = await refusal(verifier().verify(token));
      expect(error.message).toBe('The bearer token names an unknown consumer class.');
    });

    it('reads the class from the configured claim, and only from it', async () => {
      const custom = verifier({ classClaim: 'https://idp.example.test/class' });
      const token = await signClaims(
        claims({ 'https://idp.example.test/class': 'internal', consumer_class: 'partner' }),
      );
      expect((await custom.verify(token)).class).toBe('internal');
      const unknown = await signClaims(
        claims({ sub: 'u2', 'https://idp.example.test/class': 'superuser' }),
      );
      await refusal(custom.verify(unknown));
    });

    it('returns a frozen consumer', async () => {
      const consumer = await verifier().verify(await signClaims(claims({ scope: 'a' })));
      expect(Object.isFrozen(consumer)).toBe(true);
      expect(() => {
        (consumer as { class: string }).class = 'internal';
      }).toThrow(TypeError);
    });
  });

  describe('caching', () => {
    it('returns the same consumer object for the same token', async () => {
      const v = verifier();
      const token = await signClaims(claims({ scope: 'a' }));
      const first = await v.verify(token);
      expect(await v.verify(token)).toBe(first);
    });

    it('keeps a cached token until exp plus the skew, then verifies it again and refuses it', async () => {
      let now = t0;
      const v = verifier({ now: () => now });
      const token = await signClaims(claims({ exp: s0 + 60 }));
      const first = await v.verify(token);
      now = t0 + 60_000 + 29_000; // expired, but within the skew
      expect(await v.verify(token)).toBe(first);
      now = t0 + 60_000 + 31_000;
      const error = await refusal(v.verify(token));
      expect(error.message).toBe('The bearer token has expired.');
    });

    it('does not cache a refusal: a token refused as not yet valid passes later', async () => {
      let now = t0;
      const v = verifier({ now: () => now });
      const token = await signClaims(claims({ nbf: s0 + 120 }));
      await refusal(v.verify(token));
      now = t0 + 120_000;
      expect((await v.verify(token)).id).toBe('user-1');
    });

    it('keeps tokens apart: two tokens give two consumers', async () => {
      const v = verifier();
      const a = await v.verify(await signClaims(claims({ sub: 'a' })));
      const b = await v.verify(await signClaims(claims({ sub: 'b' })));
      expect([a.id, b.id]).toEqual(['a', 'b']);
    });
  });

  describe('errors', () => {
    it('are AuthenticationErrors that never include the token', async () => {
      const v = verifier();
      const cases = await Promise.all([
        signClaims(claims({ exp: s0 - 3_600 })),
        signClaims(claims({ iss: 'https://evil.example.test/' })),
        signClaims(claims({ aud: 'someone-else' })),
        signClaims(claims(), stranger, { kid: 'ec-1' }),
        signClaims(claims({ consumer_class: 'root' })),
        Promise.resolve(new UnsecuredJWT(claims()).encode()),
      ]);
      for (const token of cases) {
        const error = await refusal(v.verify(token));
        expect(error.name).toBe('AuthenticationError');
        expectNoTokenIn(error, token);
      }
    });
  });
});

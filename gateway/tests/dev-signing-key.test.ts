import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jwtVerify, createLocalJWKSet } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';

import { devIssuer, devSigningKey } from '../src/identity/devSigningKey.js';
import { signToken } from '../src/identity/signToken.js';

describe('the development signing key', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dev-keys-test-')), 'nested', '.dev-keys');
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0))
      rmSync(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('is created on first use, private to its owner, and read back afterwards', async () => {
    const dir = freshDir();
    const first = await devSigningKey(dir);
    expect(statSync(join(dir, 'jwt-signing-key.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(await devSigningKey(dir)).toEqual(first);
    // The public half only, in the JWKS.
    expect(first.jwks.keys[0]).not.toHaveProperty('d');
    expect(first.privateJwk).toHaveProperty('d');
  });

  it('is one key when several processes create it at once, and leaves no temporary files', async () => {
    const dir = freshDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => devSigningKey(dir)));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(readdirSync(dir)).toEqual(['jwt-signing-key.json']);
  });

  it('signs tokens its JWKS verifies, with the development issuer', async () => {
    const { privateJwk, jwks } = await devSigningKey(freshDir());
    const token = await signToken(
      { sub: 'alice', scopes: ['crm:pii'], class: 'partner' },
      { privateJwk },
    );
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: devIssuer,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: privateJwk.kid });
    expect(payload).toMatchObject({ sub: 'alice', scope: 'crm:pii', consumer_class: 'partner' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3_600);
  });
});

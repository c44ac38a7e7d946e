import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { exportJWK, generateKeyPair } from 'jose';
import type { JSONWebKeySet, JWK } from 'jose';

/** The issuer of development tokens (`npm run token`). */
export const devIssuer = 'urn:erp-crm-graph:dev';

/** Where `npm run apikey` keeps development partner keys. */
export function devApiKeyFile(dir: string): string {
  return join(dir, 'api-keys.json');
}

export interface DevSigningKey {
  /** Signs tokens (`npm run token`). */
  privateJwk: JWK;
  /** What the gateway verifies them against. */
  jwks: JSONWebKeySet;
}

/**
 * The development ES256 key pair, created on first use in `dir` (git-ignored)
 * so that `npm start` needs no identity provider, and read back afterwards so
 * tokens stay valid across restarts. Never used in production: there the
 * gateway verifies against the JWKS of the real identity provider.
 */
export async function devSigningKey(dir: string): Promise<DevSigningKey> {
  const file = join(dir, 'jwt-signing-key.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevSigningKey;
  } catch {
    // not there yet: create it
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const key: DevSigningKey = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] },
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Written aside, then linked into place: link never replaces an existing
  // file, so when `npm start` and `npm run token` race on a first run, one
  // key wins and both read it back.
  const temp = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temp, JSON.stringify(key, null, 2), { mode: 0o600 });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as DevSigningKey;
}

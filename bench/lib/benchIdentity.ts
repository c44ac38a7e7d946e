import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { InternalIdentitySigner } from '@bff/core';
import type { Consumer } from '@bff/core';
import { signToken } from '@bff/gateway/identity';
import { exportJWK, generateKeyPair } from 'jose';

/** Every scope the schemas use: the benchmark's operations must come back whole. */
const benchConsumer: Consumer = Object.freeze({
  id: 'bench-client',
  class: 'internal',
  scopes: new Set(['crm:pii', 'crm:write', 'erp:cost', 'finance:read']),
});
const issuer = 'urn:erp-crm-graph:bench';
/** Longer than any run, so no token expires mid-measurement. */
const lifetimeSeconds = 24 * 60 * 60;

export interface BenchIdentity {
  /** What every load request carries: an ES256 bearer token, as an identity provider would issue. */
  clientHeaders: Record<string, string>;
  /** Our gateway's identity settings: that provider's JWKS, and the secret shared with the subgraphs. */
  oursEnv: Record<string, string>;
  /** The subgraphs' secret. */
  subgraphEnv: Record<string, string>;
  /**
   * The signed identity the other gateways send to every subgraph (a static
   * header): they enforce nothing themselves, and the subgraphs check again.
   */
  forwardedIdentity: string;
}

/** Identity for one benchmark run, production-shaped: a JWKS file, a token, a shared secret. */
export async function createBenchIdentity(dir: string): Promise<BenchIdentity> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'bench-1';
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(
    jwksFile,
    JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }),
  );
  const token = await signToken(
    {
      sub: benchConsumer.id,
      class: 'internal',
      scopes: [...benchConsumer.scopes],
      issuer,
      expiresInSeconds: lifetimeSeconds,
    },
    { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } },
  );
  const secret = randomBytes(32).toString('base64url');
  return {
    clientHeaders: { authorization: `Bearer ${token}` },
    oursEnv: { AUTH_JWKS_FILE: jwksFile, AUTH_ISSUER: issuer, INTERNAL_IDENTITY_SECRET: secret },
    subgraphEnv: { INTERNAL_IDENTITY_SECRET: secret },
    forwardedIdentity: await new InternalIdentitySigner(secret, { lifetimeSeconds }).sign(
      benchConsumer,
    ),
  };
}

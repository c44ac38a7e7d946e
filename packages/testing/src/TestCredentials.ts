import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { addApiKey, revokeApiKey, signToken, writeApiKeyFile } from '@bff/gateway/identity';
import type { TokenClaims } from '@bff/gateway/identity';

export interface TokenSpec extends Partial<TokenClaims> {
  /** Sign with another secret than the gateway's (a forged token). */
  secret?: string;
}

/**
 * Credentials for a gateway under test: an HS256 secret to sign bearer
 * tokens with, and an API key file (in a temporary directory) whose keys can
 * be added and revoked while the gateway runs.
 */
export class TestCredentials {
  readonly hs256Secret = randomBytes(32).toString('base64url');
  readonly apiKeysFile: string;
  private readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'bff-credentials-'));
    this.apiKeysFile = join(this.dir, 'api-keys.json');
    writeApiKeyFile(this.apiKeysFile, { keys: [] });
  }

  /** The gateway environment that trusts these credentials. */
  gatewayEnv(): Record<string, string> {
    return {
      AUTH_HS256_SECRET: this.hs256Secret,
      API_KEYS_FILE: this.apiKeysFile,
      DEV_KEYS_DIR: this.dir,
    };
  }

  /** A bearer token for `alice` (authenticated, no scopes) unless `spec` says otherwise. */
  token(spec: TokenSpec = {}): Promise<string> {
    const { secret, ...claims } = spec;
    return signToken({ sub: 'alice', ...claims }, { hs256Secret: secret ?? this.hs256Secret });
  }

  /** `{ authorization: 'Bearer …' }` for a token of `spec`. */
  async bearer(spec: TokenSpec = {}): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token(spec)}` };
  }

  /** A new partner key, in force once the gateway has re-read the file. */
  addApiKey(partnerId: string, scopes: readonly string[] = []): { id: string; key: string } {
    return addApiKey(this.apiKeysFile, partnerId, scopes);
  }

  revokeApiKey(id: string): void {
    revokeApiKey(this.apiKeysFile, id);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

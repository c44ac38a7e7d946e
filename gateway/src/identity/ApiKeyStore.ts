import { statSync } from 'node:fs';

import type { Consumer, Logger } from '@bff/core';

import { hashApiKey, readApiKeyFile } from './apiKeyFile.js';
import type { ApiKeyFile } from './apiKeyFile.js';
import { AuthenticationError } from './AuthenticationError.js';

interface StoredKey {
  id: string;
  revoked: boolean;
  consumer: Consumer;
}

export interface ApiKeyStoreOptions {
  /** A file that is not there yet means no keys (development), rather than an error. */
  missingIsEmpty?: boolean;
  /** How often the file is checked for changes. @default 1000 */
  pollMs?: number;
}

/**
 * Partner API keys from a JSON file of hashes. The file is read again when it
 * changes, so revoking a key (or adding one) needs no restart. A file that
 * does not parse leaves the previous keys in force and is reported, so a
 * half-written edit never locks every partner out.
 */
export class ApiKeyStore {
  private keys = new Map<string, StoredKey>();
  /** The file's identity and change time when last read; '' while it is not there. */
  private loadedVersion: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly logger: Logger,
    private readonly options: ApiKeyStoreOptions = {},
  ) {
    this.loadedVersion = this.version();
    this.load(true);
    // Polling stat rather than fs.watch: it survives the rename that replaces
    // the file and works the same on every filesystem (bind mounts, NFS).
    // Compared with what was read, not with the previous poll, so a change
    // made between reading and the first poll is not missed.
    this.timer = setInterval(() => this.reloadIfChanged(), options.pollMs ?? 1_000);
    this.timer.unref();
  }

  lookup(key: string): Consumer {
    const stored = this.keys.get(hashApiKey(key));
    if (!stored) throw new AuthenticationError('The API key is not valid.');
    if (stored.revoked)
      throw new AuthenticationError('The API key has been revoked.', `key ${stored.id}`);
    return stored.consumer;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private reloadIfChanged(): void {
    const version = this.version();
    if (version === this.loadedVersion) return;
    this.loadedVersion = version;
    this.load(false);
  }

  /** Inode, size and change times: a rename or any write changes it. */
  private version(): string {
    try {
      const stat = statSync(this.path, { bigint: true });
      return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    } catch {
      return '';
    }
  }

  private load(initial: boolean): void {
    let file: ApiKeyFile;
    try {
      file = readApiKeyFile(this.path, { missingIsEmpty: this.options.missingIsEmpty });
    } catch (error) {
      if (initial)
        throw new Error(
          `API_KEYS_FILE ${this.path} is not a valid key file: ${(error as Error).message}`,
        );
      this.logger.error(
        { path: this.path, err: error },
        'API key file not reloaded: keeping the previous keys',
      );
      return;
    }
    this.keys = new Map(
      file.keys.map((k) => [
        k.sha256,
        {
          id: k.id,
          revoked: k.revoked,
          consumer: Object.freeze({
            id: k.partnerId,
            class: 'partner' as const,
            scopes: new Set(k.scopes),
          }),
        },
      ]),
    );
    const revoked = file.keys.filter((k) => k.revoked).length;
    this.logger.info({ path: this.path, keys: file.keys.length, revoked }, 'API keys loaded');
  }
}

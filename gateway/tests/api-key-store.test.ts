import { pbkdf2 } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLogger } from '@bff/core';
import type { Logger } from '@bff/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ApiKeyStore } from '../src/identity/ApiKeyStore.js';
import type { ApiKeyStoreOptions } from '../src/identity/ApiKeyStore.js';
import {
  addApiKey,
  hashApiKey,
  readApiKeyFile,
  revokeApiKey,
  writeApiKeyFile,
} from '../src/identity/apiKeyFile.js';
import { AuthenticationError } from '../src/identity/AuthenticationError.js';

let dir: string;
let path: string;
let lines: Record<string, unknown>[];
let logger: Logger;
const stores: ApiKeyStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'api-key-store-'));
  path = join(dir, 'api-keys.json');
  lines = [];
  logger = createLogger(
    { service: 'test', level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A store that afterEach closes; polls fast so that changes show within a test. */
function store(options: ApiKeyStoreOptions = {}): ApiKeyStore {
  const created = new ApiKeyStore(path, logger, { pollMs: 50, ...options });
  stores.push(created);
  return created;
}

/** The AuthenticationError `run` throws. */
function refusal(run: () => unknown): AuthenticationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    return error as AuthenticationError;
  }
  throw new Error('expected an AuthenticationError');
}

/** Polls `check` until it stops throwing, for up to `timeoutMs`. */
async function eventually(check: () => void, timeoutMs = 4_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** A few poll intervals. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** A store that has been polling for a while: reloading tests change the file after that. */
async function watching(options: ApiKeyStoreOptions = {}): Promise<ApiKeyStore> {
  const created = store(options);
  await settle();
  return created;
}

describe('apiKeyFile', () => {
  it('addApiKey returns the key once and stores only its SHA-256', () => {
    const { id, key } = addApiKey(path, 'acme', ['erp:read', 'crm:read']);
    expect(id).toMatch(/^acme-[0-9a-f]{8}$/);
    expect(key).toMatch(/^bff_[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(4));
    expect(readApiKeyFile(path)).toEqual({
      keys: [
        {
          id,
          partnerId: 'acme',
          sha256: hashApiKey(key),
          scopes: ['erp:read', 'crm:read'],
          revoked: false,
        },
      ],
    });
  });

  it('hashes keys as hex SHA-256', () => {
    // The SHA-256 of "abc", a published test vector.
    expect(hashApiKey('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('writes the file readable by its owner only', () => {
    addApiKey(path, 'acme', []);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Still so after a rewrite (a revocation).
    const { id } = addApiKey(path, 'globex', []);
    revokeApiKey(path, id);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('mints a different key and id on each call', () => {
    const a = addApiKey(path, 'acme', []);
    const b = addApiKey(path, 'acme', []);
    expect(a.key).not.toBe(b.key);
    expect(a.id).not.toBe(b.id);
    expect(readApiKeyFile(path).keys.map((k) => k.id)).toEqual([a.id, b.id]);
  });

  it('revokeApiKey marks the key revoked and keeps it in the file', () => {
    const { id } = addApiKey(path, 'acme', ['erp:read']);
    expect(revokeApiKey(path, id)).toMatchObject({ id, revoked: true });
    expect(readApiKeyFile(path).keys).toMatchObject([{ id, partnerId: 'acme', revoked: true }]);
  });

  it('revokeApiKey of an unknown id throws, naming the known ids', () => {
    const a = addApiKey(path, 'acme', []);
    const b = addApiKey(path, 'globex', []);
    expect(() => revokeApiKey(path, 'nobody-00000000')).toThrow(
      `No API key "nobody-00000000" in ${path}; known: ${a.id}, ${b.id}.`,
    );
  });

  it('revokeApiKey in an empty file says there are none', () => {
    writeApiKeyFile(path, { keys: [] });
    expect(() => revokeApiKey(path, 'x')).toThrow(/known: none\.$/);
  });

  it('readApiKeyFile treats a missing file as empty only when asked to', () => {
    expect(readApiKeyFile(path, { missingIsEmpty: true })).toEqual({ keys: [] });
    expect(() => readApiKeyFile(path)).toThrow(/ENOENT/);
  });

  it('readApiKeyFile refuses an entry whose hash is not a hex SHA-256', () => {
    writeFileSync(path, JSON.stringify({ keys: [{ id: 'k', partnerId: 'p', sha256: 'abc' }] }));
    expect(() => readApiKeyFile(path)).toThrow(/hex SHA-256/);
  });
});

describe('ApiKeyStore', () => {
  it('looks a valid key up as a frozen partner consumer', () => {
    const { key } = addApiKey(path, 'acme', ['erp:read', 'crm:read']);
    const consumer = store().lookup(key);
    expect(consumer).toEqual({
      id: 'acme',
      class: 'partner',
      scopes: new Set(['erp:read', 'crm:read']),
    });
    expect(Object.isFrozen(consumer)).toBe(true);
  });

  it('gives the same consumer for the same key, and a separate one per key', () => {
    const a = addApiKey(path, 'acme', ['erp:read']);
    const b = addApiKey(path, 'globex', []);
    const keys = store();
    expect(keys.lookup(a.key)).toBe(keys.lookup(a.key));
    expect(keys.lookup(b.key)).toMatchObject({ id: 'globex', class: 'partner' });
    expect(keys.lookup(b.key).scopes.size).toBe(0);
  });

  it('refuses an unknown key', () => {
    addApiKey(path, 'acme', []);
    const error = refusal(() => store().lookup('bff_not-a-key'));
    expect(error.message).toBe('The API key is not valid.');
  });

  it('refuses a revoked key, naming the key id only in the log detail', () => {
    const { id, key } = addApiKey(path, 'acme', []);
    revokeApiKey(path, id);
    const error = refusal(() => store().lookup(key));
    expect(error.message).toBe('The API key has been revoked.');
    expect(error.detail).toBe(`key ${id}`);
    expect(`${error.message} ${error.detail}`).not.toContain(key);
  });

  it('logs how many keys it loaded', () => {
    const { id } = addApiKey(path, 'acme', []);
    addApiKey(path, 'globex', []);
    revokeApiKey(path, id);
    store();
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'API keys loaded', path, keys: 2, revoked: 1 }),
    );
  });

  it('picks up a revocation without a new store', async () => {
    const { id, key } = addApiKey(path, 'acme', []);
    const keys = await watching();
    expect(keys.lookup(key).id).toBe('acme');
    revokeApiKey(path, id);
    await eventually(() =>
      expect(refusal(() => keys.lookup(key)).message).toBe('The API key has been revoked.'),
    );
  });

  it('picks up a key added while running', async () => {
    const first = addApiKey(path, 'acme', []);
    const keys = await watching();
    const second = addApiKey(path, 'globex', ['inventory:read']);
    await eventually(() => expect(keys.lookup(second.key).id).toBe('globex'));
    expect(keys.lookup(first.key).id).toBe('acme');
  });

  it('keeps the previous keys and logs an error when the file stops parsing', async () => {
    const { key } = addApiKey(path, 'acme', []);
    const keys = await watching();
    writeFileSync(path, '{ "keys": [ { "id": "half-writ');
    await eventually(() =>
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          path,
          msg: 'API key file not reloaded: keeping the previous keys',
        }),
      ),
    );
    expect(keys.lookup(key).id).toBe('acme');
    // A fixed file is read again.
    const later = addApiKey(join(dir, 'other.json'), 'globex', []);
    writeFileSync(path, readFileSync(join(dir, 'other.json')));
    await eventually(() => expect(keys.lookup(later.key).id).toBe('globex'));
    expect(refusal(() => keys.lookup(key)).message).toBe('The API key is not valid.');
  });

  it('keeps the previous keys when the file parses but breaks the schema', async () => {
    const { key } = addApiKey(path, 'acme', []);
    const keys = await watching();
    writeFileSync(path, JSON.stringify({ keys: [{ id: 'k', partnerId: 'p', sha256: 'nope' }] }));
    await eventually(() => expect(lines.filter((l) => l.level === 'error')).not.toHaveLength(0));
    expect(keys.lookup(key).id).toBe('acme');
  });

  it('keeps the previous keys when the file disappears (no missingIsEmpty)', async () => {
    const { key } = addApiKey(path, 'acme', []);
    const keys = await watching();
    unlinkSync(path);
    await eventually(() => expect(lines.filter((l) => l.level === 'error')).not.toHaveLength(0));
    expect(keys.lookup(key).id).toBe('acme');
  });

  it('throws an Error naming the path when the file is invalid at construction', () => {
    writeFileSync(path, 'not json');
    expect(() => store()).toThrow(`API_KEYS_FILE ${path} is not a valid key file`);
  });

  it('throws an Error naming the path when the file is missing at construction', () => {
    expect(() => store()).toThrow(path);
  });

  it('with missingIsEmpty, starts with no keys and picks the file up when it appears', async () => {
    const keys = await watching({ missingIsEmpty: true });
    expect(refusal(() => keys.lookup('bff_anything')).message).toBe('The API key is not valid.');
    const { key } = addApiKey(path, 'acme', ['erp:read']);
    await eventually(() => expect(keys.lookup(key).id).toBe('acme'));
  });

  it('stops watching after close()', async () => {
    addApiKey(path, 'acme', []);
    const keys = await watching();
    keys.close();
    const { key } = addApiKey(path, 'globex', []);
    await settle();
    expect(refusal(() => keys.lookup(key)).message).toBe('The API key is not valid.');
  });

  // Each store polls on its own: closing one (a second gateway in the process) stops only it.
  it('close() of one store leaves another store on the same file watching', async () => {
    const { id, key } = addApiKey(path, 'acme', []);
    const closed = await watching();
    const open = await watching();
    closed.close();
    revokeApiKey(path, id);
    await eventually(
      () => expect(refusal(() => open.lookup(key)).message).toBe('The API key has been revoked.'),
      1_500,
    );
  });

  // A change landing right after the first read counts: polls compare with what was read.
  // The thread pool is kept busy here, as it might be while a gateway starts.
  it('picks up a revocation made just after the store read the file', async () => {
    const { id, key } = addApiKey(path, 'acme', []);
    const busy = Array.from(
      { length: 8 },
      () => new Promise((resolve) => pbkdf2('p', 's', 200_000, 64, 'sha512', () => resolve(null))),
    );
    const keys = store();
    revokeApiKey(path, id);
    await Promise.all(busy);
    await eventually(
      () => expect(refusal(() => keys.lookup(key)).message).toBe('The API key has been revoked.'),
      1_500,
    );
  });
});

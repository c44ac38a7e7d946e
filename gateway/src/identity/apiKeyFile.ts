import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { z } from 'zod';

export const apiKeyFileSchema = z.object({
  keys: z.array(
    z.object({
      /** Names the key in logs and lets one partner hold several (rotation). */
      id: z.string().min(1),
      partnerId: z.string().min(1),
      /** Hex SHA-256 of the key; the key itself is never stored. */
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
      scopes: z.array(z.string().min(1)).default([]),
      revoked: z.boolean().default(false),
    }),
  ),
});

export type ApiKeyFile = z.output<typeof apiKeyFileSchema>;
export type ApiKeyEntry = ApiKeyFile['keys'][number];

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * The key file at `path`; a file that is not there reads as no keys when
 * `missingIsEmpty`, and as an error otherwise.
 */
export function readApiKeyFile(path: string, { missingIsEmpty = false } = {}): ApiKeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (missingIsEmpty && (error as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [] };
    throw error;
  }
  return apiKeyFileSchema.parse(JSON.parse(text));
}

/** Write-then-rename: a reader (the gateway re-reading it) sees the old file or the new one, never half. */
export function writeApiKeyFile(path: string, file: ApiKeyFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(temp, `${JSON.stringify(apiKeyFileSchema.parse(file), null, 2)}\n`, {
    mode: 0o600,
  });
  renameSync(temp, path);
}

/** Mints a key for `partnerId`, stores its hash, and returns the key: the only time it is seen. */
export function addApiKey(
  path: string,
  partnerId: string,
  scopes: readonly string[],
): { id: string; key: string } {
  const file = readApiKeyFile(path, { missingIsEmpty: true });
  const key = `bff_${randomBytes(32).toString('base64url')}`;
  const id = `${partnerId}-${randomBytes(4).toString('hex')}`;
  file.keys.push({ id, partnerId, sha256: hashApiKey(key), scopes: [...scopes], revoked: false });
  writeApiKeyFile(path, file);
  return { id, key };
}

/** Marks a key revoked (kept, so logs naming it still make sense). */
export function revokeApiKey(path: string, id: string): ApiKeyEntry {
  const file = readApiKeyFile(path, { missingIsEmpty: true });
  const entry = file.keys.find((k) => k.id === id);
  if (!entry) {
    throw new Error(
      `No API key "${id}" in ${path}; known: ${file.keys.map((k) => k.id).join(', ') || 'none'}.`,
    );
  }
  entry.revoked = true;
  writeApiKeyFile(path, file);
  return entry;
}

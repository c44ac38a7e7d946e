import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The id a trusted document goes by: the SHA-256 of its text, hex. */
export function sha256Hex(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** `{ documentId }` for a request by id (the GraphQL-over-HTTP form). */
export function byDocumentId(body: string): { documentId: string } {
  return { documentId: `sha256:${sha256Hex(body)}` };
}

/** Apollo's persisted-query manifest of these operation texts (queries). */
export function persistedQueryManifest(...bodies: string[]) {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: bodies.map((body) => ({
      id: sha256Hex(body),
      name: /^\s*query\s+(\w+)/.exec(body)?.[1] ?? 'Anonymous',
      type: 'query',
      body,
    })),
  };
}

/** A PERSISTED_OPERATIONS_DIR with one committed manifest per client. */
export function writeCommittedManifests(byClient: Record<string, string[]>): {
  dir: string;
  dispose(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'bff-manifests-'));
  for (const [client, bodies] of Object.entries(byClient)) {
    writeFileSync(join(dir, `${client}.json`), JSON.stringify(persistedQueryManifest(...bodies)));
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bff-mobile/operations, from src/ or dist/ alike. */
export const operationsDir = fileURLToPath(new URL('../operations', import.meta.url));

/** One registered operation: what the manifest lists and what the BFF sends by id. */
export interface TrustedDocument {
  /** SHA-256 of `body`, hex. */
  readonly id: string;
  readonly name: string;
  readonly type: 'query';
  readonly body: string;
}

/**
 * Every `operations/<Name>.graphql`, sorted by name. The body is the file's
 * text without its trailing newline; its id is what the gateway's manifest
 * check recomputes, so the two can never disagree.
 */
export function readTrustedDocuments(dir: string = operationsDir): readonly TrustedDocument[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const body = readFileSync(join(dir, file), 'utf8').trimEnd();
      const name = /^\s*query\s+(\w+)/.exec(body)?.[1];
      if (!name) throw new Error(`${file}: must hold one named query`);
      if (`${name}.graphql` !== file) throw new Error(`${file}: must be named ${name}.graphql`);
      return { id: createHash('sha256').update(body).digest('hex'), name, type: 'query', body };
    });
}

/** Apollo's `apollo-persisted-query-manifest` (version 1), as committed in persisted-operations/. */
export function manifestOf(documents: readonly TrustedDocument[]): string {
  const manifest = {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: documents.map(({ id, name, type, body }) => ({ id, name, type, body })),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The document a screen runs, by operation name; a missing one is a bug found at start. */
export function documentNamed(
  documents: readonly TrustedDocument[],
  name: string,
): TrustedDocument {
  const found = documents.find((d) => d.name === name);
  if (!found) throw new Error(`no operations/${name}.graphql`);
  return found;
}

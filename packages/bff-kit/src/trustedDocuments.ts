import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One registered operation: what the manifest lists and what the BFF sends by id. */
export interface TrustedDocument {
  /** SHA-256 of `body`, hex. */
  readonly id: string;
  readonly name: string;
  readonly type: 'query';
  readonly body: string;
}

/**
 * Every `<dir>/<Name>.graphql` (a BFF's `operations/`), sorted by name. The body is the file's
 * text without its trailing newline; its id is what the gateway's manifest
 * check recomputes, so the two can never disagree.
 */
export function readTrustedDocuments(dir: string): readonly TrustedDocument[] {
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

/**
 * Writes the manifest of `operationsDir` to `target` (a BFF's
 * `persisted-operations/<client>.json`, which the gateway reads at start);
 * answers how many operations it holds.
 */
export function writeManifest(operationsDir: string, target: string): number {
  const documents = readTrustedDocuments(operationsDir);
  writeFileSync(target, manifestOf(documents));
  return documents.length;
}

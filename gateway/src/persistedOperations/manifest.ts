import { createHash } from 'node:crypto';

import { parse, validate } from 'graphql';
import type { GraphQLSchema } from 'graphql';

/** One operation of a client's trusted-document manifest. */
export interface TrustedOperation {
  /** SHA-256 of `body`, hex: what clients send as the document's id. */
  readonly id: string;
  readonly name: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly body: string;
}

/** Clients are named in URLs, file names and store keys: keep the names plain. */
export const clientNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class ManifestError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: not a usable persisted-query manifest:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads Apollo's `apollo-persisted-query-manifest` format (version 1), as
 * `generate-persisted-query-manifest` writes it, and checks every operation:
 * its id is the SHA-256 of its body (so an id can never be made to point at
 * another document), the body parses, declares the operation it claims, and,
 * when a schema is given, validates against it. All problems are reported in
 * one error; a manifest with any problem is refused whole, so a publish is
 * never half-applied.
 */
export function readManifest(
  raw: unknown,
  source: string,
  schema?: GraphQLSchema,
): readonly TrustedOperation[] {
  const problems: string[] = [];
  if (!isObject(raw)) throw new ManifestError(source, ['the manifest must be a JSON object']);
  if (raw.format !== 'apollo-persisted-query-manifest')
    problems.push('format: must be "apollo-persisted-query-manifest"');
  if (raw.version !== 1) problems.push('version: must be 1');
  if (!Array.isArray(raw.operations)) problems.push('operations: must be an array');
  if (problems.length > 0) throw new ManifestError(source, problems);

  const operations: TrustedOperation[] = [];
  (raw.operations as unknown[]).forEach((entry, index) => {
    const at = `operations[${index}]`;
    if (!isObject(entry)) {
      problems.push(`${at}: must be an object with id, name, type and body`);
      return;
    }
    const { id, name, type, body } = entry;
    const label = typeof name === 'string' ? `${at} (${name})` : at;
    if (typeof body !== 'string' || body.trim() === '') {
      problems.push(`${label}.body: must be the operation's text`);
      return;
    }
    if (typeof name !== 'string' || name === '') problems.push(`${label}.name: must be a string`);
    if (type !== 'query' && type !== 'mutation' && type !== 'subscription')
      problems.push(`${label}.type: must be query, mutation or subscription`);
    const hash = sha256(body);
    if (id !== hash) problems.push(`${label}.id: must be the SHA-256 of its body (${hash})`);
    const found = problems.length;
    checkBody(body, String(name), String(type), schema, (p) => problems.push(`${label}: ${p}`));
    if (problems.length === found && typeof name === 'string')
      operations.push({ id: hash, name, type: type as TrustedOperation['type'], body });
  });
  if (problems.length > 0) throw new ManifestError(source, problems);
  return operations;
}

function checkBody(
  body: string,
  name: string,
  type: string,
  schema: GraphQLSchema | undefined,
  report: (problem: string) => void,
): void {
  let document;
  try {
    document = parse(body);
  } catch (error) {
    report(`body does not parse: ${(error as Error).message}`);
    return;
  }
  const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
  // A lone anonymous operation is fine: `name` then only labels it.
  const operation =
    operations.length === 1 && !operations[0]?.name
      ? operations[0]
      : operations.find((d) => d.name?.value === name);
  if (!operation) report(`body has no operation named "${name}"`);
  else if (operation.operation !== type) report(`body's "${name}" is a ${operation.operation}`);
  if (!schema) return;
  for (const error of validate(schema, document))
    report(`does not validate against the graph: ${error.message}`);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

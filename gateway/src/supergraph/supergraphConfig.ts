import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { StartupError } from '@bff/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Rover's supergraph.yaml, the parts we use: routing URL and schema file per subgraph. */
const supergraphYamlSchema = z.object({
  federation_version: z.union([z.string(), z.number()]).optional(),
  subgraphs: z
    .record(
      z
        .string()
        .regex(/^[a-z][a-z0-9_-]*$/, 'subgraph names are lowercase letters, digits, - and _'),
      z.object({
        // http(s) only: `localhost:4101` would otherwise pass as a URL of scheme "localhost:".
        routing_url: z.url({ protocol: /^https?$/, error: 'routing_url must be an absolute URL' }),
        schema: z.object({ file: z.string().min(1) }, { error: 'schema.file is required' }),
      }),
    )
    .refine((subgraphs) => Object.keys(subgraphs).length > 0, 'at least one subgraph is required'),
});

export interface SubgraphDefinition {
  name: string;
  routingUrl: string;
  /** Absolute path of the subgraph's SDL file. */
  schemaFile: string;
}

export interface SupergraphConfig {
  federationVersion: string | undefined;
  subgraphs: SubgraphDefinition[];
}

export class SupergraphConfigError extends StartupError {
  override name = 'SupergraphConfigError';
}

/** Reads supergraph.yaml; schema paths are relative to the file, as rover has them. */
export function readSupergraphConfig(path: string): SupergraphConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SupergraphConfigError(
      `cannot read supergraph config ${path}: ${(error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new SupergraphConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = supergraphYamlSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new SupergraphConfigError(
      `${path} is not a valid supergraph config:\n${problems.join('\n')}`,
    );
  }
  const base = dirname(resolve(path));
  return {
    federationVersion:
      parsed.data.federation_version === undefined
        ? undefined
        : String(parsed.data.federation_version),
    subgraphs: Object.entries(parsed.data.subgraphs).map(([name, s]) => ({
      name,
      routingUrl: s.routing_url,
      schemaFile: resolve(base, s.schema.file),
    })),
  };
}

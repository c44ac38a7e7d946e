import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { composeServices } from '@apollo/composition';
import { StartupError } from '@bff/core';
import { GraphQLError, parse } from 'graphql';
import type { DocumentNode } from 'graphql';

import type { SupergraphConfig } from './supergraphConfig.js';

/** Composition failed: every error, named by subgraph and location, one per line. */
export class CompositionError extends StartupError {
  override name = 'CompositionError';
  constructor(readonly problems: readonly string[]) {
    super(`supergraph composition failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface ComposedSupergraph {
  supergraphSdl: string;
  /** Composition hints: not errors, but worth a look. */
  hints: string[];
}

const compositionVersion = (
  createRequire(import.meta.url)('@apollo/composition/package.json') as { version: string }
).version;

/**
 * Composes the subgraphs' SDL files into a supergraph with
 * @apollo/composition, as `rover supergraph compose` would. `urlOverrides`
 * (by subgraph name) replace routing URLs: tests and per-environment
 * deployments point the same supergraph.yaml at other hosts.
 */
export function composeSupergraph(
  config: SupergraphConfig,
  urlOverrides: Readonly<Record<string, string>> = {},
): ComposedSupergraph {
  checkFederationVersion(config.federationVersion);
  const problems: string[] = [];
  const known = new Set(config.subgraphs.map((s) => s.name));
  for (const name of Object.keys(urlOverrides)) {
    if (!known.has(name))
      problems.push(
        `a URL override names "${name}", which is not a subgraph (${[...known].join(', ')})`,
      );
  }
  const services: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  for (const subgraph of config.subgraphs) {
    let sdl: string;
    try {
      sdl = readFileSync(subgraph.schemaFile, 'utf8');
    } catch (error) {
      problems.push(
        `[${subgraph.name}] cannot read ${subgraph.schemaFile}: ${(error as Error).message}`,
      );
      continue;
    }
    try {
      services.push({
        name: subgraph.name,
        url: urlOverrides[subgraph.name] ?? subgraph.routingUrl,
        typeDefs: parse(sdl),
      });
    } catch (error) {
      problems.push(`[${subgraph.name}] ${subgraph.schemaFile}: ${describe(error)}`);
    }
  }
  if (problems.length > 0) throw new CompositionError(problems);

  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors.map(describe));
  return {
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((hint) => `${hint.definition.code}: ${hint.message}`),
  };
}

function describe(error: unknown): string {
  if (isGraphQLError(error)) {
    const where = error.locations?.[0];
    const code = (error.extensions?.code as string | undefined) ?? 'ERROR';
    return `${code}: ${error.message}${where ? ` (line ${where.line}, column ${where.column})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Composition's errors are made by @apollo/composition's graphql, which need
 * not be the instance this module imports (vitest loads graphql's ESM build
 * for our sources and its CommonJS build for node_modules), so `instanceof`
 * alone would drop their code and location.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError');
}

/** Rover pins an exact composition version with "=2.x.y"; we can only compose with the installed one. */
function checkFederationVersion(version: string | undefined): void {
  if (version === undefined || version === '2' || version === `=${compositionVersion}`) return;
  throw new CompositionError([
    `supergraph.yaml asks for federation_version ${version}, but @apollo/composition ${compositionVersion} is installed; ` +
      `set federation_version to =${compositionVersion} (or 2), or install that version`,
  ]);
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { readAccessRequirements } from '@bff/core';
import type { AccessRequirement } from '@bff/core';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';

// docs/schema-design.md tells frontend teams and partners which scope opens
// which field; it must say what the composed supergraph enforces, no more and
// no less.
const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

function describeRequirement(requirement: AccessRequirement): string {
  const parts = requirement.authenticated ? ['signed in'] : [];
  for (const groups of requirement.scopeSets) {
    parts.push(groups.map((group) => group.join(' and ')).join(' or '));
  }
  return parts.join(', ');
}

/** Every type and field of the supergraph that needs something, and what. */
function enforced(): Map<string, string> {
  const document = parse(read('../../supergraph.graphql'));
  const requirements = readAccessRequirements(document);
  const result = new Map<string, string>();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    const typeName = definition.name.value;
    const own = describeRequirement(requirements.ofType(typeName));
    if (own) result.set(typeName, own);
    for (const field of definition.fields ?? []) {
      const needs = describeRequirement(requirements.ofField(typeName, field.name.value));
      if (needs) result.set(`${typeName}.${field.name.value}`, needs);
    }
  }
  return result;
}

/** The table of "Who may read what": each coordinate with the cell beside it, backticks dropped. */
function documented(): Map<string, string> {
  const section = read('../../docs/schema-design.md').split('## Who may read what')[1] ?? '';
  const result = new Map<string, string>();
  for (const [, what, requires] of section.matchAll(/^\|([^|]+)\|([^|]+)\|$/gm)) {
    if (!what || !requires || /^\s*(what|-+)\s*$/.test(what)) continue;
    for (const [, coordinate] of what.matchAll(/`([\w.]+)`/g)) {
      result.set(coordinate as string, requires.replace(/`/g, '').trim());
    }
  }
  return result;
}

describe('docs/schema-design.md, "Who may read what"', () => {
  it('lists exactly what the supergraph enforces', () => {
    expect(enforced().size).toBeGreaterThan(0);
    expect(Object.fromEntries(documented())).toEqual(Object.fromEntries(enforced()));
  });
});

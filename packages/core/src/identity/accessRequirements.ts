import { Kind, valueFromASTUntyped } from 'graphql';
import type { ConstDirectiveNode, DocumentNode, FieldDefinitionNode } from 'graphql';

import { combine, noRequirement } from './Consumer.js';
import type { AccessRequirement } from './Consumer.js';

/** What each type and field of a schema requires, read from its SDL. */
export interface AccessRequirements {
  /** Directives on a type: they apply to every field returning it. */
  ofType(typeName: string): AccessRequirement;
  /** Directives on a field definition. */
  ofField(typeName: string, fieldName: string): AccessRequirement;
  /** False when the schema uses neither directive: nothing to enforce. */
  readonly any: boolean;
}

const specs = {
  authenticated: 'https://specs.apollo.dev/authenticated/',
  requiresScopes: 'https://specs.apollo.dev/requiresScopes/',
};

/**
 * Reads @authenticated and @requiresScopes from a subgraph's SDL or from a
 * composed supergraph, under whatever names the schema's @link gave them
 * (`as:` on a supergraph link, `{ name, as }` in a subgraph's federation
 * import).
 */
export function readAccessRequirements(document: DocumentNode): AccessRequirements {
  const names = directiveNames(document);
  const types = new Map<string, AccessRequirement>();
  const fields = new Map<string, AccessRequirement>();
  const requirementOf = (
    directives: readonly ConstDirectiveNode[] | undefined,
  ): AccessRequirement => {
    let requirement = noRequirement;
    for (const directive of directives ?? []) {
      if (names.authenticated.has(directive.name.value)) {
        requirement = combine(requirement, { authenticated: true, scopeSets: [] });
      } else if (names.requiresScopes.has(directive.name.value)) {
        const argument = directive.arguments?.find((a) => a.name.value === 'scopes');
        const groups = argument ? (valueFromASTUntyped(argument.value) as string[][]) : [];
        requirement = combine(requirement, { authenticated: false, scopeSets: [groups] });
      }
    }
    return requirement;
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    const own = requirementOf(definition.directives as readonly ConstDirectiveNode[] | undefined);
    types.set(typeName, combine(types.get(typeName) ?? noRequirement, own));
    const fieldList =
      'fields' in definition
        ? (definition.fields as readonly FieldDefinitionNode[] | undefined)
        : undefined;
    if (
      definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION
    )
      continue;
    for (const field of fieldList ?? []) {
      const key = `${typeName}.${field.name.value}`;
      fields.set(key, combine(fields.get(key) ?? noRequirement, requirementOf(field.directives)));
    }
  }
  const restricted = (r: AccessRequirement) => r.authenticated || r.scopeSets.length > 0;
  return {
    ofType: (typeName) => types.get(typeName) ?? noRequirement,
    ofField: (typeName, fieldName) => fields.get(`${typeName}.${fieldName}`) ?? noRequirement,
    any: [...types.values(), ...fields.values()].some(restricted),
  };
}

type DirectiveKind = keyof typeof specs;
type DirectiveNames = Record<DirectiveKind, Set<string>>;

/**
 * The names the two directives go by in this schema, from its @link's:
 * - a spec link (a composed supergraph): the link's name (`as:`, else the
 *   spec's), or the name an `import` renames the directive to;
 * - a federation link (a subgraph): `federation__<name>` (usable without
 *   importing; the prefix follows the link's `as:`), and the imported name,
 *   renamed or not.
 * A schema that links neither (plain SDL) uses the plain names.
 */
function directiveNames(document: DocumentNode): DirectiveNames {
  const names: DirectiveNames = { authenticated: new Set(), requiresScopes: new Set() };
  let linked = false;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION)
      continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = Object.fromEntries(
        (link.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]),
      ) as { url?: unknown; as?: unknown; import?: unknown };
      const url = typeof args.url === 'string' ? args.url : '';
      const as = typeof args.as === 'string' ? args.as : undefined;
      const imported = importedNames(args.import);
      for (const kind of Object.keys(specs) as DirectiveKind[]) {
        if (url.startsWith(specs[kind])) {
          linked = true;
          names[kind].add(imported.get(kind) ?? as ?? kind);
        }
        if (url.includes('specs.apollo.dev/federation/')) {
          linked = true;
          names[kind].add(`${as ?? 'federation'}__${kind}`);
          const name = imported.get(kind);
          if (name) names[kind].add(name);
        }
      }
    }
  }
  if (!linked)
    return {
      authenticated: new Set(['authenticated']),
      requiresScopes: new Set(['requiresScopes']),
    };
  return names;
}

/** `import: ["@a", { name: "@b", as: "@c" }]` as a map from a and b to the names they go by. */
function importedNames(value: unknown): Map<string, string> {
  const result = new Map<string, string>();
  for (const entry of Array.isArray(value) ? (value as unknown[]) : []) {
    if (typeof entry === 'string') result.set(entry.replace(/^@/, ''), entry.replace(/^@/, ''));
    else if (entry && typeof entry === 'object' && 'name' in entry) {
      const { name, as } = entry as { name: unknown; as?: unknown };
      if (typeof name !== 'string') continue;
      result.set(name.replace(/^@/, ''), (typeof as === 'string' ? as : name).replace(/^@/, ''));
    }
  }
  return result;
}

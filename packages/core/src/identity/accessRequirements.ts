import { Kind, valueFromASTUntyped } from 'graphql';
import type { ConstDirectiveNode, DocumentNode, FieldDefinitionNode } from 'graphql';

import { linkedDirectiveNames } from '../graphql/linkedDirectiveNames.js';
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
  const names = linkedDirectiveNames(document, specs);
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

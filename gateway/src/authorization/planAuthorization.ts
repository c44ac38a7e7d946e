import { combine, satisfies } from '@bff/core';
import type { AccessRequirement, AccessRequirements, Consumer } from '@bff/core';
import {
  Kind,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  visit,
} from 'graphql';
import type {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';

/** One step from an object to a field of it: the response key, and the types the object must have. */
export interface PathStep {
  /** Response key (the alias if any). */
  key: string;
  /** Inline-fragment type conditions the object holding `key` must satisfy. */
  conditions: readonly string[];
  /** The field's type, for null propagation. */
  type: GraphQLOutputType;
}

/** A field taken out of the operation: where it would have been in the response, and why. */
export interface Removal {
  steps: readonly PathStep[];
  /** `Type.field`, for the error message and the log. */
  coordinate: string;
  /** What it needed, for the log only: the client is told what was refused, not what would allow it. */
  requirement: AccessRequirement;
}

export interface AuthorizationPlan {
  /** The operation to plan and execute; the input itself when nothing was removed. */
  document: DocumentNode;
  operation: OperationDefinitionNode;
  removals: readonly Removal[];
  /**
   * Where the plan added a `__typename` of its own (under TYPENAME_ALIAS, to
   * tell types apart, or because nothing else was left to select): taken out
   * again after, leaving any `__typename` the client asked for alone.
   */
  addedTypenames: readonly (readonly PathStep[])[];
}

/**
 * The response key of the `__typename`s the plan adds. An alias of its own,
 * so that the client's `__typename`, wherever it asked for one, is never
 * mistaken for ours and taken out.
 */
export const TYPENAME_ALIAS = '__authorizationTypename';

interface Walk {
  schema: GraphQLSchema;
  requirements: AccessRequirements;
  consumer: Consumer;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  removals: Removal[];
  addedTypenames: PathStep[][];
}

const typenameField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: TYPENAME_ALIAS },
  name: { kind: Kind.NAME, value: '__typename' },
};

/**
 * Apollo Router's authorization, before planning: every field the consumer
 * may not read is taken out of the operation, so no subgraph is asked for it.
 * A field needs what its own @authenticated/@requiresScopes say and what its
 * return type's say; selected on an interface (or through a fragment on
 * one), it also needs what every object type it may resolve on, and that
 * type's field, need; a fragment on a type the consumer may not read goes
 * whole.
 * Named fragments are inlined and @skip/@include are evaluated with the
 * request's variables, so each removal has one path in the response.
 */
export function planAuthorization(
  schema: GraphQLSchema,
  requirements: AccessRequirements,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  consumer: Consumer,
): AuthorizationPlan {
  const walk: Walk = {
    schema,
    requirements,
    consumer,
    variables: variableValues(operation, variables),
    fragments: new Map(
      document.definitions.flatMap((d) =>
        d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
      ),
    ),
    removals: [],
    addedTypenames: [],
  };
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return { document, operation, removals: [], addedTypenames: [] };

  const rootAllowed = satisfies(consumer, requirements.ofType(rootType.name));
  const filtered = rootAllowed
    ? filterSelections(walk, operation.selectionSet, rootType, [rootType], [], [])
    : { selections: [], needsTypename: false };
  if (!rootAllowed) recordAll(walk, operation.selectionSet, rootType, [], []);
  if (walk.removals.length === 0) return { document, operation, removals: [], addedTypenames: [] };

  const selectionSet: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: withTypename(walk, filtered, []),
  };
  // A variable only a removed or skipped selection used must go too: an
  // unused variable makes the document invalid.
  const used = variablesUsedIn(selectionSet, operation.directives);
  const filteredOperation: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: operation.variableDefinitions?.filter((d) =>
      used.has(d.variable.name.value),
    ),
    selectionSet,
  };
  return {
    // Fragments are inlined: the filtered document is this one operation.
    document: { kind: Kind.DOCUMENT, definitions: [filteredOperation] },
    operation: filteredOperation,
    removals: walk.removals,
    addedTypenames: walk.addedTypenames,
  };
}

interface Filtered {
  selections: SelectionNode[];
  /** A removal at this level applies to some types only: the response must say each object's type. */
  needsTypename: boolean;
}

function filterSelections(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parentType: GraphQLCompositeType,
  possibleTypes: readonly GraphQLObjectType[],
  path: PathStep[],
  conditions: string[],
): Filtered {
  const selections: SelectionNode[] = [];
  let needsTypename = false;
  for (const selection of selectionSet.selections) {
    if (!isIncluded(selection.directives, walk.variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name.startsWith('__')) {
        selections.push(selection);
        continue;
      }
      const field = fieldOf(parentType, name);
      if (!field) {
        selections.push(selection); // validation has passed: cannot happen
        continue;
      }
      const step: PathStep = { key: selection.alias?.value ?? name, conditions, type: field.type };
      const requirement = fieldRequirement(walk, parentType, possibleTypes, field);
      if (!satisfies(walk.consumer, requirement)) {
        walk.removals.push({
          steps: [...path, step],
          coordinate: `${parentType.name}.${name}`,
          requirement,
        });
        if (conditions.length > 0) needsTypename = true;
        continue;
      }
      if (!selection.selectionSet) {
        selections.push(selection);
        continue;
      }
      const recordedBefore = walk.removals.length + walk.addedTypenames.length;
      const childPath = [...path, step];
      const childType = getNamedType(field.type) as GraphQLCompositeType;
      const child = filterSelections(
        walk,
        selection.selectionSet,
        childType,
        possibleTypesOf(walk.schema, childType),
        childPath,
        [],
      );
      const childSelections = withTypename(walk, child, childPath);
      // Anything recorded below a type-conditioned step is found again, after
      // execution, by the type of the object holding it: that object must say it.
      if (
        conditions.length > 0 &&
        walk.removals.length + walk.addedTypenames.length > recordedBefore
      ) {
        needsTypename = true;
      }
      selections.push(
        sameSelections(childSelections, selection.selectionSet)
          ? selection
          : {
              ...selection,
              selectionSet: { kind: Kind.SELECTION_SET, selections: childSelections },
            },
      );
      continue;
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection
        : walk.fragments.get(selection.name.value);
    if (!fragment) continue;
    const conditionName = fragment.typeCondition?.name.value;
    const conditionType = conditionName
      ? (walk.schema.getType(conditionName) as GraphQLCompositeType)
      : parentType;
    // On an object type a fragment's condition always holds (validation saw
    // to it): only a condition on an abstract parent tells objects apart.
    const innerConditions =
      conditionName && isAbstractType(parentType) ? [...conditions, conditionName] : conditions;
    if (conditionName && !satisfies(walk.consumer, walk.requirements.ofType(conditionName))) {
      // A fragment on a type the consumer may not read: every field in it is refused, for objects of that type.
      recordAll(walk, fragment.selectionSet, conditionType, path, innerConditions);
      needsTypename = true;
      continue;
    }
    // Narrowed by the fragment's type: the object types its fields may resolve on.
    const innerPossible = conditionName
      ? possibleTypes.filter(
          (t) =>
            t === conditionType ||
            (isAbstractType(conditionType) && walk.schema.isSubType(conditionType, t)),
        )
      : possibleTypes;
    const inner = filterSelections(
      walk,
      fragment.selectionSet,
      conditionType,
      innerPossible,
      path,
      innerConditions,
    );
    needsTypename ||= inner.needsTypename;
    if (inner.selections.length === 0) continue;
    selections.push({
      kind: Kind.INLINE_FRAGMENT,
      ...(fragment.typeCondition ? { typeCondition: fragment.typeCondition } : {}),
      selectionSet: { kind: Kind.SELECTION_SET, selections: inner.selections },
    });
  }
  return { selections, needsTypename };
}

/** Adds the plan's own `__typename` where a level needs one, and remembers to take it out. */
function withTypename(walk: Walk, filtered: Filtered, path: PathStep[]): SelectionNode[] {
  const { selections } = filtered;
  if (!filtered.needsTypename && selections.length > 0) return selections;
  walk.addedTypenames.push(path);
  return [typenameField, ...selections];
}

/** Records every field of a selection set as refused (a fragment on a type the consumer may not read). */
function recordAll(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parentType: GraphQLCompositeType,
  path: PathStep[],
  conditions: string[],
): void {
  for (const selection of selectionSet.selections) {
    if (!isIncluded(selection.directives, walk.variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const field = name.startsWith('__') ? undefined : fieldOf(parentType, name);
      if (!field) continue;
      walk.removals.push({
        steps: [...path, { key: selection.alias?.value ?? name, conditions, type: field.type }],
        coordinate: `${parentType.name}.${name}`,
        requirement: walk.requirements.ofType(parentType.name),
      });
      continue;
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection
        : walk.fragments.get(selection.name.value);
    if (!fragment) continue;
    const conditionName = fragment.typeCondition?.name.value;
    recordAll(
      walk,
      fragment.selectionSet,
      conditionName ? (walk.schema.getType(conditionName) as GraphQLCompositeType) : parentType,
      path,
      conditionName ? [...conditions, conditionName] : conditions,
    );
  }
}

function possibleTypesOf(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
): readonly GraphQLObjectType[] {
  return isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
}

function fieldOf(
  type: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

/**
 * The field's own requirement and its return type's. On an abstract parent
 * the field resolves on any of `possibleTypes`, so it needs what each of
 * them needs, and what the field needs on each.
 */
function fieldRequirement(
  walk: Walk,
  parentType: GraphQLCompositeType,
  possibleTypes: readonly GraphQLObjectType[],
  field: GraphQLField<unknown, unknown>,
): AccessRequirement {
  const { requirements } = walk;
  let requirement = combine(
    requirements.ofField(parentType.name, field.name),
    requirements.ofType(getNamedType(field.type).name),
  );
  if (isAbstractType(parentType)) {
    for (const objectType of possibleTypes) {
      requirement = combine(requirement, requirements.ofType(objectType.name));
      requirement = combine(requirement, requirements.ofField(objectType.name, field.name));
    }
  }
  return requirement;
}

/** Every variable a selection set (and the operation's own directives) reads. */
function variablesUsedIn(
  selectionSet: SelectionSetNode,
  directives: readonly DirectiveNode[] | undefined,
): Set<string> {
  const names = new Set<string>();
  const collect = {
    Variable: (node: { name: { value: string } }) => void names.add(node.name.value),
  };
  visit(selectionSet, collect);
  for (const directive of directives ?? []) visit(directive, collect);
  return names;
}

function sameSelections(selections: SelectionNode[], original: SelectionSetNode): boolean {
  return (
    selections.length === original.selections.length &&
    selections.every((s, i) => s === original.selections[i])
  );
}

/** @skip and @include, evaluated as the executor would. */
function isIncluded(
  directives: readonly DirectiveNode[] | undefined,
  variables: Record<string, unknown>,
): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((a) => a.name.value === 'if');
    if (!argument) continue;
    const value =
      argument.value.kind === Kind.VARIABLE
        ? variables[argument.value.name.value]
        : valueFromASTUntyped(argument.value);
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value !== true) return false;
  }
  return true;
}

/** The request's variables with the operation's defaults filled in. */
function variableValues(
  operation: OperationDefinitionNode,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = { ...given };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue)
      values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}

/** The variables whose values can change the plan (those in @skip/@include), for the cache key. */
export function conditionalVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      for (const directive of selection.directives ?? []) {
        if (directive.name.value !== 'skip' && directive.name.value !== 'include') continue;
        for (const argument of directive.arguments ?? []) {
          if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
        }
      }
      if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (
      definition.kind === Kind.OPERATION_DEFINITION ||
      definition.kind === Kind.FRAGMENT_DEFINITION
    ) {
      visit(definition.selectionSet);
    }
  }
  return [...names].sort();
}

import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
} from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

import type { CostModel } from './costModel.js';
import { effectiveVariables, expectedSize, inputCost, isSkipped } from './operationValues.js';

export interface EstimateCostOptions {
  /** Length assumed for a list that neither a slicing argument nor `assumedSize` sizes. */
  defaultListSize: number;
}

/** Sizes handed down by a `@listSize(sizedFields:)` to those child fields. */
interface Sized {
  fields: readonly string[];
  size: number;
}

/**
 * The static (estimated) cost of an operation, following the IBM GraphQL
 * cost spec as Apollo Router's demand control scores it (static_cost.rs):
 * - a field returning an object, interface or union weighs 1, a scalar or
 *   enum 0; `@cost` on the field, else on its type, replaces that weight;
 * - a list field counts (its weight + its selections' cost) once per item:
 *   its slicing argument's value (the largest, if several), else its
 *   `assumedSize`, else `defaultListSize`; a parent's `@listSize(sizedFields:)`
 *   sizes those child lists instead (connections' `edges`, `nodes`);
 * - arguments add: an input object value 1 (or its `@cost`) plus its fields,
 *   any other value its argument's (or type's) `@cost`, else 0;
 * - fragments add what they select, as the Router does (no max across type
 *   conditions); `__typename` and introspection fields cost 0;
 * - a mutation adds 10.
 * Unlike the Router, `@skip`/`@include` are evaluated with the request's
 * variables (and their defaults), on fragments as on fields. `schema` is the
 * API schema; `document` must have passed validation.
 */
export function estimateCost(
  schema: GraphQLSchema,
  model: CostModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  options: EstimateCostOptions,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  // A fragment spread N times is scored once per sizing context: fragments
  // spreading fragments twice over would otherwise cost 2^depth to score.
  const fragmentCosts = new Map<string, number>();
  const values = effectiveVariables(operation, variables);

  const selectionSetCost = (
    selectionSet: SelectionSetNode | undefined,
    parent: GraphQLNamedType,
    sized: Sized | undefined,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (isSkipped(selection, values)) continue;
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(
          selection,
          parent,
          sized?.fields.includes(selection.name.value) ? sized.size : undefined,
        );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        cost += selectionSetCost(selection.selectionSet, type ?? parent, sized);
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !type) continue;
        const key = `${fragment.name.value}\u0000${sized ? `${sized.size}:${sized.fields.join()}` : ''}`;
        let fragmentCost = fragmentCosts.get(key);
        if (fragmentCost === undefined) {
          fragmentCosts.set(key, 0); // a cycle (invalid anyway) adds nothing
          fragmentCost = selectionSetCost(fragment.selectionSet, type, sized);
          fragmentCosts.set(key, fragmentCost);
        }
        cost += fragmentCost;
      }
    }
    return cost;
  };

  const fieldCost = (
    field: FieldNode,
    parent: GraphQLNamedType,
    sizeFromParent: number | undefined,
  ) => {
    const name = field.name.value;
    if (name.startsWith('__')) return 0; // __typename, __schema, __type
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const definition = parent.getFields()[name];
    if (!definition) return 0; // validation reports it
    const type = getNamedType(definition.type);
    const listSize = model.listSize(parent.name, name);
    const expected = listSize ? expectedSize(field, definition.args, listSize, values) : undefined;
    // Only the outer list counts: [[T]] is sized once, as in the Router.
    const count = isListType(getNullableType(definition.type))
      ? (sizeFromParent ?? expected ?? options.defaultListSize)
      : 1;
    const weight =
      model.fieldWeight(parent.name, name) ??
      model.typeWeight(type.name) ??
      (isCompositeType(type) ? 1 : 0);
    const sized =
      listSize && expected !== undefined && listSize.sizedFields.length > 0
        ? { fields: listSize.sizedFields, size: expected }
        : undefined;
    let argumentsCost = 0;
    for (const argument of field.arguments ?? []) {
      const definitionOfArg = definition.args.find((a) => a.name === argument.name.value);
      if (!definitionOfArg) continue;
      const argWeight =
        model.argumentWeight(parent.name, name, argument.name.value) ??
        model.typeWeight(getNamedType(definitionOfArg.type).name);
      const value = valueFromASTUntyped(argument.value, values);
      argumentsCost += inputCost(value, definitionOfArg, argWeight, model);
    }
    return count * (weight + selectionSetCost(field.selectionSet, type, sized)) + argumentsCost;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return 0; // validation reports an operation type the schema lacks
  return (
    (operation.operation === 'mutation' ? 10 : 0) +
    selectionSetCost(operation.selectionSet, root, undefined)
  );
}

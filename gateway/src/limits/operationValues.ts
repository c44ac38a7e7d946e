// Internal to estimateCost: the values an operation's arguments and
// directives take with a request's variables, and what they weigh.
import { getNamedType, isInputObjectType, valueFromASTUntyped } from 'graphql';
import type {
  ConstDirectiveNode,
  DirectiveNode,
  FieldNode,
  GraphQLArgument,
  GraphQLInputField,
  OperationDefinitionNode,
} from 'graphql';

import type { CostModel, ListSize } from './costModel.js';

/**
 * The request's variables, with the operation's defaults for those it left
 * out: what execution will see, so what the estimate should see.
 */
export function effectiveVariables(
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const values: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue)
      values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}

/**
 * True when `@skip(if: true)` or `@include(if: false)` drops the selection.
 * A condition that names a variable the request lacks keeps it: an
 * estimate should err high.
 */
export function isSkipped(
  node: { readonly directives?: readonly (DirectiveNode | ConstDirectiveNode)[] | undefined },
  variables: Readonly<Record<string, unknown>>,
): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((a) => a.name.value === 'if');
    const value = condition ? valueFromASTUntyped(condition.value, variables) : undefined;
    if ((name === 'skip' && value === true) || (name === 'include' && value === false)) return true;
  }
  return false;
}

/**
 * The length a `@listSize` field's list takes: the largest of its slicing
 * arguments' values (given as a literal or variable, else the argument's
 * default), else its `assumedSize`. Undefined when neither says.
 * `requireOneSlicingArgument` is a schema rule the Router rejects on; an
 * estimate just takes the largest, which errs high.
 */
export function expectedSize(
  field: FieldNode,
  argumentDefinitions: readonly GraphQLArgument[],
  listSize: ListSize,
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  const sizes: number[] = [];
  for (const name of listSize.slicingArguments) {
    const given = field.arguments?.find((a) => a.name.value === name);
    let value = given ? valueFromASTUntyped(given.value, variables) : undefined;
    if (!Number.isInteger(value))
      value = argumentDefinitions.find((a) => a.name === name)?.defaultValue;
    // A negative page size is an error upstream, never a discount.
    if (Number.isInteger(value)) sizes.push(Math.max(0, value as number));
  }
  return sizes.length > 0 ? Math.max(...sizes) : listSize.assumedSize;
}

/**
 * What an argument's (or input field's) value weighs, as the Router scores
 * it: an input object 1 (or its `@cost`) plus each of its fields, a list its
 * `@cost` (else 0) plus each item, null or an absent variable 0, any other
 * value its `@cost`, else 0. `weight` is the definition's `@cost`, else its
 * type's.
 */
export function inputCost(
  value: unknown,
  definition: GraphQLArgument | GraphQLInputField,
  weight: number | undefined,
  model: CostModel,
): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value))
    return (
      (weight ?? 0) +
      value.reduce((sum: number, item) => sum + inputCost(item, definition, weight, model), 0)
    );
  const type = getNamedType(definition.type);
  if (typeof value === 'object' && isInputObjectType(type)) {
    let cost = weight ?? 1;
    const fields = type.getFields();
    for (const [name, fieldValue] of Object.entries(value)) {
      const field = fields[name];
      if (!field) continue; // coercion reports it
      const fieldWeight =
        model.inputFieldWeight(type.name, name) ?? model.typeWeight(getNamedType(field.type).name);
      cost += inputCost(fieldValue, field, fieldWeight, model);
    }
    return cost;
  }
  return weight ?? 0;
}

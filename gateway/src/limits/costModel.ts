import { linkedDirectiveNames } from '@bff/core';
import { Kind, valueFromASTUntyped } from 'graphql';
import type { ConstDirectiveNode, DocumentNode } from 'graphql';

/** A field's `@listSize`: how long the list it returns (or its sized fields) can be. */
export interface ListSize {
  /** The length to assume when no slicing argument says. */
  readonly assumedSize: number | undefined;
  /** Arguments whose value is the length: `first`, `limit`. */
  readonly slicingArguments: readonly string[];
  /** Child list fields the slicing argument sizes instead (a connection's `edges`, `nodes`). */
  readonly sizedFields: readonly string[];
  readonly requireOneSlicingArgument: boolean;
}

/**
 * The `@cost` and `@listSize` of a schema. Each lookup is undefined where the
 * schema says nothing, so the estimator's defaults apply there.
 */
export interface CostModel {
  /** `@cost` on the field definition `type.field`. */
  fieldWeight(type: string, field: string): number | undefined;
  /** `@cost` on a type (object, interface, enum or scalar). */
  typeWeight(type: string): number | undefined;
  /** `@cost` on the argument definition `type.field(arg:)`. */
  argumentWeight(type: string, field: string, arg: string): number | undefined;
  /** `@cost` on the input field definition `inputType.field`. */
  inputFieldWeight(inputType: string, field: string): number | undefined;
  listSize(type: string, field: string): ListSize | undefined;
}

const costSpec = 'https://specs.apollo.dev/cost/';

/**
 * Reads `@cost(weight:)` and `@listSize(...)` from a composed supergraph (the
 * cost spec's @link) or a subgraph SDL (federation's `@link`, with
 * `federation__cost` or imported, possibly renamed, names). It must be the
 * raw supergraph: the gateway's API schema no longer carries the directives.
 */
export function readCostModel(supergraph: DocumentNode): CostModel {
  const names = linkedDirectiveNames(supergraph, { cost: costSpec, listSize: costSpec });
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  // Type extensions and several subgraphs' definitions may weigh one
  // element more than once: keep the highest, as composition does (MAX).
  const weigh = (key: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    const weight = weightOf(directives, names.cost);
    if (weight !== undefined) weights.set(key, Math.max(weight, weights.get(key) ?? weight));
  };
  for (const definition of supergraph.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const type = definition.name.value;
    weigh(type, definition.directives as readonly ConstDirectiveNode[] | undefined);
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) {
          const key = `${type}.${field.name.value}`;
          weigh(key, field.directives);
          for (const arg of field.arguments ?? [])
            weigh(`${key}(${arg.name.value}:)`, arg.directives);
          const listSize = listSizeOf(field.directives, names.listSize);
          if (listSize) listSizes.set(key, listSize);
        }
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        // A key shape of their own, so that fieldWeight never answers for an input field.
        for (const field of definition.fields ?? [])
          weigh(`${type}:${field.name.value}`, field.directives);
        break;
      default:
        break;
    }
  }
  return {
    fieldWeight: (type, field) => weights.get(`${type}.${field}`),
    typeWeight: (type) => weights.get(type),
    argumentWeight: (type, field, arg) => weights.get(`${type}.${field}(${arg}:)`),
    inputFieldWeight: (inputType, field) => weights.get(`${inputType}:${field}`),
    listSize: (type, field) => listSizes.get(`${type}.${field}`),
  };
}

function argumentsOf(directive: ConstDirectiveNode): Record<string, unknown> {
  return Object.fromEntries(
    (directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]),
  );
}

/** The weight of a `@cost` among these directives. Newer cost specs allow a numeric string. */
function weightOf(
  directives: readonly ConstDirectiveNode[] | undefined,
  names: ReadonlySet<string>,
): number | undefined {
  const cost = directives?.find((d) => names.has(d.name.value));
  if (!cost) return undefined;
  const { weight } = argumentsOf(cost);
  const value = typeof weight === 'string' ? Number(weight) : weight;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function listSizeOf(
  directives: readonly ConstDirectiveNode[] | undefined,
  names: ReadonlySet<string>,
): ListSize | undefined {
  const directive = directives?.find((d) => names.has(d.name.value));
  if (!directive) return undefined;
  const args = argumentsOf(directive);
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return {
    assumedSize:
      typeof args.assumedSize === 'number' && Number.isInteger(args.assumedSize)
        ? args.assumedSize
        : undefined,
    slicingArguments: strings(args.slicingArguments),
    sizedFields: strings(args.sizedFields),
    requireOneSlicingArgument: args.requireOneSlicingArgument !== false,
  };
}

import { ErrorCode } from '@bff/core';
import { isAbstractType, isListType, isNonNullType, isObjectType } from 'graphql';
import type { GraphQLFormattedError, GraphQLOutputType, GraphQLSchema } from 'graphql';

import { TYPENAME_ALIAS } from './planAuthorization.js';
import type { AuthorizationPlan, PathStep } from './planAuthorization.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A position in the response: the container, the key or index in it, and the GraphQL type there. */
interface Slot {
  container: JsonObject | Json[];
  key: string | number;
  type: GraphQLOutputType;
}

/**
 * After execution: each removed field comes back `null`, with an
 * UNAUTHORIZED_FIELD_OR_TYPE error at its exact path (list indices
 * included), once for every object that would have had it; a null in a
 * non-null position propagates to the nearest nullable one, as execution
 * does, and nothing inside a nulled value is reported (graphql-js stops
 * there too). A field selected twice under one key is reported once. The
 * `__typename`s the plan added are taken out again.
 */
export function applyAuthorization(
  schema: GraphQLSchema,
  plan: AuthorizationPlan,
  response: { data?: JsonObject | null },
): { data: JsonObject | null; errors: GraphQLFormattedError[] } {
  const errors: GraphQLFormattedError[] = [];
  const reported = new Set<string>();
  const root = { data: (response.data ?? null) as Json };
  const rootSlot: Slot = {
    container: root as JsonObject,
    key: 'data',
    type: schema.getQueryType() as GraphQLOutputType,
  };

  for (const removal of plan.removals) {
    walk(schema, root, removal.steps, 0, [rootSlot], [], (slots, path) => {
      const key = JSON.stringify(path);
      if (reported.has(key)) return;
      reported.add(key);
      errors.push({
        message: `The caller may not read ${removal.coordinate}.`,
        path,
        extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE },
      });
      nullify(slots);
    });
  }
  for (const steps of plan.addedTypenames) {
    if (steps.length === 0) {
      if (isObject(root.data)) delete root.data[TYPENAME_ALIAS];
      continue;
    }
    forEachObject(schema, root.data, steps, 0, (object) => delete object[TYPENAME_ALIAS]);
  }
  return { data: root.data as JsonObject | null, errors };
}

/**
 * Follows `steps` from the response root, through lists, to every object
 * that should hold the removed field, and hands each one's slot chain and
 * concrete path to `onField`.
 */
function walk(
  schema: GraphQLSchema,
  root: { data: Json },
  steps: readonly PathStep[],
  index: number,
  slots: Slot[],
  path: (string | number)[],
  onField: (slots: Slot[], path: (string | number)[]) => void,
): void {
  if (!intact(slots)) return;
  const holder = slotValue(slots.at(-1) as Slot);
  if (!isObject(holder)) return;
  const step = steps[index] as PathStep;
  if (!matches(schema, holder, step.conditions)) return;
  const fieldSlot: Slot = { container: holder, key: step.key, type: step.type };
  if (index === steps.length - 1) {
    onField([...slots, fieldSlot], [...path, step.key]);
    return;
  }
  descend(
    schema,
    root,
    steps,
    index,
    [...slots, fieldSlot],
    [...path, step.key],
    step.type,
    onField,
  );
}

/** Walks into a field's value: through each list level to the objects, then to the next step. */
function descend(
  schema: GraphQLSchema,
  root: { data: Json },
  steps: readonly PathStep[],
  index: number,
  slots: Slot[],
  path: (string | number)[],
  type: GraphQLOutputType,
  onField: (slots: Slot[], path: (string | number)[]) => void,
): void {
  const value = slotValue(slots.at(-1) as Slot);
  if (value === null || value === undefined) return;
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  if (isListType(unwrapped)) {
    if (!Array.isArray(value)) return;
    const itemType = unwrapped.ofType as GraphQLOutputType;
    // Iterate over a copy: a null propagating from an item may replace the
    // list, or any value above it; then the rest goes unreported.
    [...value].forEach((_, i) => {
      if (!intact(slots) || slotValue(slots.at(-1) as Slot) !== value) return;
      descend(
        schema,
        root,
        steps,
        index,
        [...slots, { container: value, key: i, type: itemType }],
        [...path, i],
        itemType,
        onField,
      );
    });
    return;
  }
  walk(schema, root, steps, index + 1, slots, path, onField);
}

/** Sets the last slot to null, then propagates through non-null positions like execution. */
function nullify(slots: Slot[]): void {
  for (let i = slots.length - 1; i >= 0; i--) {
    const slot = slots[i] as Slot;
    if (!isNonNullType(slot.type) || i === 0) {
      (slot.container as Record<string | number, Json>)[slot.key] = null;
      return;
    }
  }
}

/** Whether each slot still holds the container of the next: no null has replaced any of them. */
function intact(slots: readonly Slot[]): boolean {
  for (let i = 1; i < slots.length; i++) {
    if (slotValue(slots[i - 1] as Slot) !== (slots[i] as Slot).container) return false;
  }
  return true;
}

function forEachObject(
  schema: GraphQLSchema,
  value: Json,
  steps: readonly PathStep[],
  index: number,
  visit: (object: JsonObject) => void,
): void {
  if (Array.isArray(value)) {
    for (const item of value) forEachObject(schema, item, steps, index, visit);
    return;
  }
  if (!isObject(value)) return;
  if (index === steps.length) {
    visit(value);
    return;
  }
  const step = steps[index] as PathStep;
  if (!matches(schema, value, step.conditions)) return;
  forEachObject(schema, value[step.key] as Json, steps, index + 1, visit);
}

function slotValue(slot: Slot): Json | undefined {
  return (slot.container as Record<string | number, Json>)[slot.key];
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether an object's `__typename` satisfies every enclosing fragment's type condition. */
function matches(
  schema: GraphQLSchema,
  object: JsonObject,
  conditions: readonly string[],
): boolean {
  if (conditions.length === 0) return true;
  const typename = object[TYPENAME_ALIAS] ?? object.__typename;
  const objectType = typeof typename === 'string' ? schema.getType(typename) : undefined;
  if (!objectType || !isObjectType(objectType)) return false;
  return conditions.every((condition) => {
    if (condition === typename) return true;
    const conditionType = schema.getType(condition);
    return (
      !!conditionType &&
      isAbstractType(conditionType) &&
      schema.isSubType(conditionType, objectType)
    );
  });
}

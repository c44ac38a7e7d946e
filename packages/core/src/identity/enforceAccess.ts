import {
  GraphQLObjectType,
  defaultFieldResolver,
  getNamedType,
  isIntrospectionType,
} from 'graphql';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';

import { codedError, ErrorCode } from '../errors.js';
import type { AccessRequirements } from './accessRequirements.js';
import { combine, isRestricted, satisfies } from './Consumer.js';
import type { AccessRequirement, Consumer } from './Consumer.js';

/**
 * Defence in depth in a subgraph: every field whose requirement the caller
 * does not meet throws UNAUTHORIZED_FIELD_OR_TYPE instead of resolving. The
 * gateway has already removed such fields for callers it verified; this
 * catches requests that reach the subgraph directly.
 *
 * Stricter than the gateway on purpose: a type's requirement guards the
 * type's own fields too, since a direct `_entities` call reaches an object
 * without going through any field that returns its type.
 */
export function enforceAccess<C>(
  schema: GraphQLSchema,
  requirements: AccessRequirements,
  consumerOf: (context: C) => Consumer,
): void {
  if (!requirements.any) return;
  for (const type of Object.values(schema.getTypeMap())) {
    if (
      !(type instanceof GraphQLObjectType) ||
      isIntrospectionType(type) ||
      type.name.startsWith('_')
    )
      continue;
    const interfaces = type.getInterfaces();
    for (const field of Object.values(type.getFields())) {
      let requirement: AccessRequirement = combine(
        combine(requirements.ofField(type.name, field.name), requirements.ofType(type.name)),
        requirements.ofType(getNamedType(field.type).name),
      );
      for (const iface of interfaces)
        requirement = combine(requirement, requirements.ofField(iface.name, field.name));
      if (!isRestricted(requirement)) continue;
      const coordinate = `${type.name}.${field.name}`;
      field.resolve = guarded(
        field.resolve ?? defaultFieldResolver,
        coordinate,
        requirement,
        consumerOf,
      );
    }
  }
}

function guarded<C>(
  resolve: GraphQLFieldResolver<unknown, C>,
  coordinate: string,
  requirement: AccessRequirement,
  consumerOf: (context: C) => Consumer,
): GraphQLFieldResolver<unknown, C> {
  return (source, args, context, info) => {
    if (!satisfies(consumerOf(context), requirement)) {
      // The gateway's wording: what was refused, not what would allow it.
      throw codedError(
        ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE,
        `The caller may not read ${coordinate}.`,
      );
    }
    return resolve(source, args, context, info);
  };
}

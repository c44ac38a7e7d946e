import { createHash } from 'node:crypto';

import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { ErrorCode } from '@bff/core';
import type { AccessRequirements, Consumer } from '@bff/core';
import { GraphQLError } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';

import { applyAuthorization } from '../authorization/applyAuthorization.js';
import { conditionalVariables, planAuthorization } from '../authorization/planAuthorization.js';
import type { AuthorizationPlan } from '../authorization/planAuthorization.js';
import type { GatewayContext } from '../context.js';

export type AuthorizationMode = 'filter' | 'reject' | 'dry-run';

export interface AuthorizationPluginOptions {
  /** @authenticated and @requiresScopes, read from the composed supergraph. */
  requirements: AccessRequirements;
  /**
   * filter: remove what the caller may not read and run the rest;
   * reject: refuse the whole operation (403) if anything would be removed;
   * dry-run: run it unchanged and log what filter would have removed.
   * @default 'filter'
   */
  mode?: AuthorizationMode;
  /** Authorization plans kept, by operation and caller profile. @default 5000 */
  cacheSize?: number;
}

/**
 * Field-level authorization before planning (Apollo Router's semantics):
 * unauthorized fields are taken out of the operation, so no subgraph is
 * asked for them, and come back null with an error at their exact path.
 *
 * A plan depends only on the operation, the caller's scopes and whether it
 * is authenticated, and the variables that @skip/@include read, so it is
 * computed once per such combination. A filtered operation gets its own
 * query hash: @apollo/gateway caches query plans by it, and must never hand
 * one caller's plan to another.
 */
export function authorizationPlugin(
  options: AuthorizationPluginOptions,
): ApolloServerPlugin<GatewayContext> {
  const mode = options.mode ?? 'filter';
  const plans = new LRUCache<string, AuthorizationPlan & { queryHash: string }>({
    max: options.cacheSize ?? 5_000,
  });
  const conditionalVariablesOf = new WeakMap<DocumentNode, string[]>();
  const applied = new WeakMap<GatewayContext, AuthorizationPlan>();
  let schema: GraphQLSchema | undefined;

  const planFor = (request: GraphQLRequestContextDidResolveOperation<GatewayContext>) => {
    const { document, operation, contextValue } = request;
    let variableNames = conditionalVariablesOf.get(document);
    if (!variableNames)
      conditionalVariablesOf.set(document, (variableNames = conditionalVariables(document)));
    const variables = request.request.variables ?? {};
    const key = [
      request.queryHash,
      request.operationName ?? '',
      profileOf(contextValue.consumer),
      ...variableNames.map((name) => JSON.stringify(variables[name] ?? null)),
    ].join('\u0000');
    let plan = plans.get(key);
    if (!plan) {
      const computed = planAuthorization(
        schema as GraphQLSchema,
        options.requirements,
        document,
        operation as OperationDefinitionNode,
        variables,
        contextValue.consumer,
      );
      plan = { ...computed, queryHash: createHash('sha256').update(key).digest('hex') };
      plans.set(key, plan);
    }
    return plan;
  };

  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema }) {
          schema = apiSchema;
          plans.clear();
        },
      };
    },
    async requestDidStart() {
      if (!options.requirements.any) return {};
      return {
        async didResolveOperation(request) {
          if (!request.operation || !schema) return;
          const plan = planFor(request);
          if (plan.removals.length === 0) return;
          const { consumer, logger } = request.contextValue;
          const refused = [...new Set(plan.removals.map((r) => r.coordinate))];
          // What would have allowed it is for operators, not for the client.
          logger.info(
            {
              consumer: consumer.id,
              consumerClass: consumer.class,
              refused: plan.removals.map((r) => ({ field: r.coordinate, requires: r.requirement })),
              mode,
            },
            mode === 'dry-run'
              ? 'authorization would remove fields (dry run)'
              : 'authorization removed fields',
          );
          if (mode === 'dry-run') return;
          if (mode === 'reject') {
            throw new GraphQLError(
              `The operation asks for fields the caller may not read: ${refused.join(', ')}.`,
              {
                extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE, http: { status: 403 } },
              },
            );
          }
          const mutable = request as {
            document: DocumentNode;
            operation: OperationDefinitionNode;
            queryHash: string;
          };
          mutable.document = plan.document;
          mutable.operation = plan.operation;
          mutable.queryHash = plan.queryHash;
          applied.set(request.contextValue, plan);
        },
        async willSendResponse({ response, contextValue }) {
          const plan = applied.get(contextValue);
          if (!plan || response.body.kind !== 'single' || !schema) return;
          const result = response.body.singleResult;
          const { data, errors } = applyAuthorization(schema, plan, result as { data?: never });
          response.body.singleResult = {
            ...result,
            data,
            errors: [...(result.errors ?? []), ...errors],
          };
        },
      };
    },
  };
}

const profiles = new WeakMap<Consumer, string>();

/** All authorization looks at: signed in or not, and the scopes held. */
function profileOf(consumer: Consumer): string {
  let profile = profiles.get(consumer);
  if (profile === undefined) {
    profile = `${consumer.class === 'anonymous' ? '-' : '+'}${[...consumer.scopes].sort().join(' ')}`;
    profiles.set(consumer, profile);
  }
  return profile;
}

import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '@bff/core';
import { GraphQLError } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';

import type { GatewayContext } from '../context.js';
import type { CostModel } from '../limits/costModel.js';
import { countTokens } from '../limits/countTokens.js';
import { estimateCost } from '../limits/estimateCost.js';
import { measureOperation } from '../limits/measureOperation.js';
import type { GuardMetrics } from '../metrics/guardMetrics.js';
import type { ConsumerPolicies, OperationLimits } from '../policy/consumerPolicies.js';

export type LimitsMode = 'measure' | 'enforce';

export interface OperationLimitsPluginOptions {
  policies: ConsumerPolicies;
  /** @cost and @listSize, read from the composed supergraph. */
  costModel: CostModel;
  /**
   * enforce: refuse an operation over any limit of its caller's class;
   * measure: run it, and log and count what enforce would have refused.
   * @default 'enforce'
   */
  mode?: LimitsMode;
  /** Size assumed for a list with neither a slicing argument nor an assumedSize. @default 10 */
  defaultListSize?: number;
  metrics: GuardMetrics;
  /** Cost estimates kept, by operation and variables. @default 5000 */
  cacheSize?: number;
}

type Measured = Omit<OperationLimits, 'tokens' | 'cost'>;

/** Each limit's code and how to say what was measured. */
const limitErrors: Record<keyof OperationLimits, { code: ErrorCode; says: (n: number) => string }> =
  {
    tokens: { code: ErrorCode.MAX_TOKENS_EXCEEDED, says: (n) => `The document has ${n} tokens` },
    depth: { code: ErrorCode.MAX_DEPTH_EXCEEDED, says: (n) => `The operation is ${n} levels deep` },
    aliases: {
      code: ErrorCode.MAX_ALIASES_EXCEEDED,
      says: (n) => `The operation uses ${n} aliases`,
    },
    rootFields: {
      code: ErrorCode.MAX_ROOT_FIELDS_EXCEEDED,
      says: (n) => `The operation selects ${n} root fields`,
    },
    directivesPerField: {
      code: ErrorCode.MAX_DIRECTIVES_EXCEEDED,
      says: (n) => `A field of the operation carries ${n} directives`,
    },
    cost: {
      code: ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
      says: (n) => `The operation's estimated cost is ${n}`,
    },
  };

/** Checked in this order; the first one over its limit is the one reported. */
const measuredLimits = ['depth', 'aliases', 'rootFields', 'directivesPerField'] as const;

/**
 * Static limits, before any subgraph is called: tokens as soon as the source
 * is known (before parsing), then depth, aliases, root fields, directives per
 * field and the estimated cost once the operation is resolved, each against
 * the caller's class budget (its persisted-operation budget for a trusted
 * document). Measurements are properties of the document and are kept with
 * it; the cost also depends on the variables (slicing arguments, @skip), so
 * it is cached by both.
 */
export function operationLimitsPlugin(
  options: OperationLimitsPluginOptions,
): ApolloServerPlugin<GatewayContext> {
  const mode = options.mode ?? 'enforce';
  const defaultListSize = options.defaultListSize ?? 10;
  const { policies, metrics } = options;
  // Counting stops past the largest budget: a huge document costs no more to refuse.
  const mostTokens = Math.max(
    ...Object.values(policies).flatMap((p) => [p.limits.tokens, p.persistedLimits.tokens]),
  );
  const tokenCounts = new LRUCache<string, number>({ max: options.cacheSize ?? 5_000 });
  const measured = new WeakMap<OperationDefinitionNode, Measured>();
  const costs = new LRUCache<string, number>({ max: options.cacheSize ?? 5_000 });
  let schema: GraphQLSchema | undefined;

  const costOf = (
    queryHash: string,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ) => {
    const key = `${queryHash}\u0000${operation.name?.value ?? ''}\u0000${JSON.stringify(variables)}`;
    let cost = costs.get(key);
    if (cost === undefined) {
      cost = estimateCost(
        schema as GraphQLSchema,
        options.costModel,
        document,
        operation,
        variables,
        {
          defaultListSize,
        },
      );
      costs.set(key, cost);
    }
    return cost;
  };

  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema }) {
          schema = apiSchema;
          costs.clear();
        },
      };
    },
    async requestDidStart({ contextValue }) {
      // contextValue.logger is read only to log: it is made on first use.
      const { consumer, guards } = contextValue;
      const limitsFor = () =>
        guards.trusted ? policies[consumer.class].persistedLimits : policies[consumer.class].limits;
      /** The refusal for a value over its budget (logged and counted), if enforced. */
      const check = (limit: keyof OperationLimits, value: number) => {
        const budget = limitsFor()[limit];
        if (value <= budget) return undefined;
        metrics.limitExceeded.inc({ limit, mode, consumer_class: consumer.class });
        contextValue.logger.info(
          { limit, measured: value, budget, consumerClass: consumer.class, mode },
          mode === 'measure'
            ? 'operation over a limit (measure mode: run anyway)'
            : 'operation refused: over a limit',
        );
        if (mode === 'measure') return undefined;
        guards.refused = true;
        const { code, says } = limitErrors[limit];
        return new GraphQLError(
          `${says(value)}, over the limit of ${budget} for ${consumer.class} callers.`,
          { extensions: { code, limit: budget, measured: value, http: { status: 400 } } },
        );
      };
      const enforce = (limit: keyof OperationLimits, value: number) => {
        const refusal = check(limit, value);
        if (refusal) throw refusal;
      };
      let tokens = 0;
      return {
        // Counted from the source, so that a document too long for every
        // class is known as such even though it will never parse.
        async didResolveSource({ source, queryHash }) {
          const counted = tokenCounts.get(queryHash);
          tokens = counted ?? countTokens(source, mostTokens);
          if (counted === undefined) tokenCounts.set(queryHash, tokens);
        },
        // Apollo turns what didResolveSource throws into a 500, but answers
        // what this hook throws as the error it is: every refusal is here.
        async didResolveOperation({ document, operation, queryHash, request }) {
          if (!operation || !schema) return;
          enforce('tokens', tokens);
          let measurements = measured.get(operation);
          if (!measurements) {
            measurements = measureOperation(document, operation);
            measured.set(operation, measurements);
          }
          for (const limit of measuredLimits) enforce(limit, measurements[limit]);
          guards.cost = costOf(queryHash, document, operation, request.variables ?? {});
          enforce('cost', guards.cost);
        },
        // Past every class's budget the parser itself stopped (its maxTokens):
        // answer with this guard's code rather than a syntax error.
        async willSendResponse({ response }) {
          if (tokens <= mostTokens || response.body.kind !== 'single') return;
          const refusal = check('tokens', tokens);
          if (!refusal) return;
          response.http.status = 400;
          response.body.singleResult = {
            errors: [
              { message: refusal.message, extensions: { ...refusal.extensions, http: undefined } },
            ],
          };
        },
      };
    },
  };
}

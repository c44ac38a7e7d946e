import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { addLogFields, operationLogFields, responseOf } from '@bff/core';

import type { GatewayContext } from '../context.js';

// One listener for every request: the hook reads all it needs from its
// argument, so the hot path makes no closure per request.
const listener: GraphQLRequestListener<GatewayContext> = {
  async willSendResponse(requestContext) {
    const res = responseOf(requestContext.contextValue);
    if (!res) return;
    const fields = operationLogFields(requestContext) as Record<string, unknown>;
    // Static cost as the limits guard measured it (absent with the guards off,
    // or when the operation was refused before it was measured).
    fields.cost = requestContext.contextValue.guards.cost;
    addLogFields(res, fields);
  },
};

/**
 * Adds the operation to the request's access line: its name and hash, its
 * estimated cost, and the codes of the errors the client got. Registered
 * last, so it reads the errors as every other plugin left them.
 */
export function logFieldsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

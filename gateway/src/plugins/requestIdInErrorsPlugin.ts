import type { ApolloServerPlugin } from '@apollo/server';

import type { GatewayContext } from '../context.js';

/**
 * Puts the request id on every error the client gets, so a person reporting
 * an error can quote one id that finds every log line of the request.
 */
export function requestIdInErrorsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
            ...error,
            extensions: { ...error.extensions, requestId: contextValue.requestId },
          }));
        },
      };
    },
  };
}

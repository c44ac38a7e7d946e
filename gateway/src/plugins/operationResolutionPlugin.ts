import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '@bff/core';
import { GraphQLError, Kind } from 'graphql';

/**
 * Apollo Server hands an operation it could not pick (an unknown
 * `operationName`, or none for a document with several operations) to
 * @apollo/gateway, which fails with a 500. Refuse it here instead, as a
 * client error that says what to send.
 */
export function operationResolutionPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          const names = document.definitions.flatMap((d) =>
            d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [],
          );
          const message = request.operationName
            ? `The document has no operation named "${request.operationName}"; it has ${names.map((n) => `"${n}"`).join(', ') || 'none'}.`
            : `The document has several operations (${names.join(', ')}); say which to run with "operationName".`;
          throw new GraphQLError(message, {
            extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } },
          });
        },
      };
    },
  };
}

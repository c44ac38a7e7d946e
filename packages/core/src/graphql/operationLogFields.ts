import type { ServerResponse } from 'node:http';

import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextWillSendResponse,
  GraphQLRequestListener,
} from '@apollo/server';

import { addLogFields } from '../http/requestLogging.js';

/**
 * Where a request's context keeps its HTTP response, for plugins to add to
 * its access line: Apollo hands plugins the context, never the response. A
 * symbol keeps it out of the context types and of anything that serialises
 * the context; it must be an own enumerable property, since Apollo runs each
 * operation on a copy of the context (`Object.assign`), which a WeakMap keyed
 * by the original would not find.
 */
const responseKey = Symbol('response');

/** Ties a request's context to its HTTP response; returns the context. */
export function withResponse<C extends object>(context: C, res: ServerResponse): C {
  (context as Record<symbol, unknown>)[responseKey] = res;
  return context;
}

/** The HTTP response `withResponse` tied to this context, if any. */
export function responseOf(context: object): ServerResponse | undefined {
  return (context as Record<symbol, ServerResponse | undefined>)[responseKey];
}

/** The distinct `extensions.code` of the errors, in order; undefined when there are none. */
export function errorCodesOf(
  errors: readonly { readonly extensions?: { readonly [key: string]: unknown } }[] | undefined,
): string[] | undefined {
  if (!errors || errors.length === 0) return undefined;
  const codes: string[] = [];
  for (const error of errors) {
    const code = error.extensions?.code;
    if (typeof code === 'string' && !codes.includes(code)) codes.push(code);
  }
  return codes.length > 0 ? codes : undefined;
}

/**
 * What the access line says about the operation: its name (as resolved, or
 * as asked when it never resolved), the SHA-256 of its text, and the codes
 * of the errors the client got (after formatError, so what the client saw).
 */
export function operationLogFields(
  requestContext: GraphQLRequestContextWillSendResponse<BaseContext>,
): { operationName?: string; operationHash?: string; errorCodes?: string[] } {
  const { response } = requestContext;
  const errors =
    response.body.kind === 'single'
      ? response.body.singleResult.errors
      : response.body.initialResult.errors;
  return {
    operationName:
      requestContext.operationName ?? requestContext.request.operationName ?? undefined,
    operationHash: requestContext.queryHash,
    errorCodes: errorCodesOf(errors),
  };
}

// One listener for every request: the hook reads all it needs from its
// argument, so no closure is made per request.
const listener: GraphQLRequestListener<BaseContext> = {
  async willSendResponse(requestContext) {
    const res = responseOf(requestContext.contextValue);
    if (res) addLogFields(res, operationLogFields(requestContext));
  },
};

/**
 * Adds the operation's name, hash and error codes to the access line of
 * each request whose context was tied to its response (`withResponse`).
 */
export function operationLogFieldsPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return listener as GraphQLRequestListener<C>;
    },
  };
}

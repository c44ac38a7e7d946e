import type { IncomingMessage } from 'node:http';

import { HeaderMap } from '@apollo/server';
import { ErrorCode } from '@bff/core';
import type { Consumer, Logger } from '@bff/core';
import { GraphQLError } from 'graphql';

import { AuthenticationError } from './identity/AuthenticationError.js';
import type { ConsumerResolver } from './identity/ConsumerResolver.js';

/** Per-request context of the gateway: what every plugin and subgraph fetch may read. */
export interface GatewayContext {
  requestId: string;
  logger: Logger;
  /** W3C trace context from the caller, passed on to subgraphs. */
  traceparent?: string;
  /** Who is calling, verified (anonymous when no credentials were sent). */
  consumer: Consumer;
  /** The consumer, signed for the subgraphs to check again. */
  identityToken: string;
}

/**
 * The request's consumer. Credentials that do not verify end the request
 * with a 401 UNAUTHENTICATED (and `WWW-Authenticate: Bearer`), before any
 * parsing or planning; why they failed goes to the log, not to the client.
 */
export async function resolveConsumer(
  resolver: ConsumerResolver,
  req: IncomingMessage,
): Promise<Consumer> {
  try {
    return await resolver.resolve(req.headers);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    req.log.info({ reason: error.detail ?? error.message }, 'credentials refused');
    throw new GraphQLError(error.message, {
      extensions: {
        code: ErrorCode.UNAUTHENTICATED,
        requestId: req.id,
        http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
      },
    });
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';

import { HeaderMap } from '@apollo/server';
import { addLogFields, ErrorCode } from '@bff/core';
import type { Consumer, Logger } from '@bff/core';
import { GraphQLError } from 'graphql';

import { AuthenticationError } from './identity/AuthenticationError.js';
import type { ConsumerResolver } from './identity/ConsumerResolver.js';
import { clientNamePattern } from './persistedOperations/manifest.js';

/** Per-request context of the gateway: what every plugin and subgraph fetch may read. */
export interface GatewayContext {
  requestId: string;
  /** The request's logger (its id on every line), made on first use: read it only to log. */
  logger: Logger;
  /** W3C trace context from the caller, passed on to subgraphs. */
  traceparent?: string;
  /** Who is calling, verified (anonymous when no credentials were sent). */
  consumer: Consumer;
  /** The consumer, signed for the subgraphs to check again. */
  identityToken: string;
  /** What the guards learned so far, for the guards after them. */
  guards: GuardState;
}

/** Per-request notes the guards pass along, in the order they run. */
export interface GuardState {
  /**
   * Whose trusted-document manifest applies: a partner's own id (never a
   * header it could choose), else the `apollographql-client-name` it sent.
   */
  readonly client: string | undefined;
  /** The rate-limit bucket: the consumer, or the client address of an anonymous caller. */
  readonly rateLimitKey: string;
  /** The operation is one of the client's trusted documents. */
  trusted: boolean;
  /** Static cost, once the limits guard has measured it. */
  cost?: number;
  /** A guard before the rate limiter refused the operation. */
  refused: boolean;
}

/**
 * The request's consumer. Credentials that do not verify end the request
 * with a 401 UNAUTHENTICATED (and `WWW-Authenticate: Bearer`), before any
 * parsing or planning; why they failed goes to the log, not to the client,
 * and the code to `res`'s access line.
 */
export async function resolveConsumer(
  resolver: ConsumerResolver,
  req: IncomingMessage,
  res?: ServerResponse,
): Promise<Consumer> {
  try {
    return await resolver.resolve(req.headers);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    req.log.info({ reason: error.detail ?? error.message }, 'credentials refused');
    // No plugin sees a request whose context failed: its code is added here.
    if (res) addLogFields(res, { errorCodes: [ErrorCode.UNAUTHENTICATED] });
    throw new GraphQLError(error.message, {
      extensions: {
        code: ErrorCode.UNAUTHENTICATED,
        requestId: req.id,
        http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
      },
    });
  }
}

/**
 * The guards' starting state. A partner's manifest is its own (its id from
 * the API key); anyone else names a client in `apollographql-client-name`.
 * Anonymous callers share no bucket: each address has its own, the end
 * user's as a trusted proxy (a BFF) forwards it, else the peer's.
 */
export function guardStateOf(
  consumer: Consumer,
  req: IncomingMessage,
  clientAddressOf: (req: IncomingMessage) => string | undefined = (r) => r.socket.remoteAddress,
): GuardState {
  const header = req.headers['apollographql-client-name'];
  const named = typeof header === 'string' && clientNamePattern.test(header) ? header : undefined;
  return {
    client: consumer.class === 'partner' ? consumer.id : named,
    rateLimitKey:
      consumer.class === 'anonymous'
        ? `anonymous:${clientAddressOf(req) ?? 'unknown'}`
        : `${consumer.class}:${consumer.id}`,
    trusted: false,
    refused: false,
  };
}

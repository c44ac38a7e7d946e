import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { ErrorCode } from '@bff/core';
import { GraphQLError } from 'graphql';

import type { GatewayContext } from '../context.js';
import type { TrustedDocuments } from '../persistedOperations/TrustedDocuments.js';
import { clientSafelistOf, stricterSafelist } from '../policy/consumerPolicies.js';
import type { ClientSafelists, ConsumerPolicies } from '../policy/consumerPolicies.js';

export interface PersistedOperationsPluginOptions {
  documents: TrustedDocuments;
  /** Each class's safelist mode (partners: always enforce). */
  policies: ConsumerPolicies;
  /**
   * Each named client's safelist mode; a request follows the stricter of its
   * class's and its client's.
   * @default {} (the class decides alone)
   */
  clientSafelists?: ClientSafelists;
  /**
   * `max-age` of a persisted query's answer over GET to an anonymous caller,
   * which a CDN may share.
   * @default 60
   */
  publicMaxAgeSeconds?: number;
}

/**
 * Trusted documents and the safelist, before parsing:
 * - a request by id (`extensions.persistedQuery.sha256Hash`, or the
 *   GraphQL-over-HTTP `documentId`, in a POST body or a GET query string)
 *   is served from the client's manifest when it is there, else (unless
 *   the safelist is enforced, when only the manifest counts) from Apollo's
 *   automatic persisted queries (APQ), which answer
 *   PERSISTED_QUERY_NOT_FOUND on a miss;
 * - a free-form operation is trusted when its text hashes to an id in the
 *   client's manifest;
 * - partners may run only their trusted documents, by id; other classes
 *   follow their safelist mode (off, log-unknown, enforce), or their
 *   client's when that is stricter (the product's BFFs: enforce).
 * Over GET, an anonymous persisted query's error-free answer is the same for
 * every caller, so it is marked cacheable by a CDN; everything else is not.
 */
export function persistedOperationsPlugin(
  options: PersistedOperationsPluginOptions,
): ApolloServerPlugin<GatewayContext> {
  const maxAge = options.publicMaxAgeSeconds ?? 60;
  const clientSafelists = options.clientSafelists ?? {};
  return {
    async requestDidStart({ request, contextValue }) {
      // contextValue.logger is read only to log: it is made on first use.
      const { consumer, guards } = contextValue;
      const classSafelist = options.policies[consumer.class].safelist;
      const safelist = stricterSafelist(
        classSafelist,
        clientSafelistOf(clientSafelists, guards.client),
      );
      const id = documentIdOf(request);
      let notInList = false;
      if (id !== undefined && id !== 'invalid') {
        const body = await options.documents.find(guards.client, id);
        if (body !== undefined && (request.query === undefined || request.query === body)) {
          // Served from the manifest: nothing for APQ to look up or register.
          request.query = body;
          if (request.extensions) delete request.extensions.persistedQuery;
          guards.trusted = true;
        } else if (safelist === 'enforce' && request.query === undefined) {
          // Only the manifest counts here: an APQ hit would be refused anyway,
          // and PERSISTED_QUERY_NOT_FOUND would advise sending the text, which
          // could not register. Apollo sees a request without a query; the
          // answer is rewritten below.
          notInList = true;
          if (request.extensions) delete request.extensions.persistedQuery;
        } else if (!request.extensions?.persistedQuery && request.query === undefined) {
          // A documentId the manifest does not have: APQ may, and answers the miss.
          request.extensions = {
            ...request.extensions,
            persistedQuery: { version: 1, sha256Hash: id },
          };
        }
      }
      if (!guards.trusted && safelist === 'enforce' && request.query !== undefined) {
        // It can only be refused: do not let it register in APQ on the way.
        if (request.extensions) delete request.extensions.persistedQuery;
      }
      const notInListMessage = () =>
        guards.client === undefined
          ? 'Only registered operations may run, and the request names no client: send apollographql-client-name.'
          : classSafelist === 'enforce'
            ? `The operation is not registered for client "${guards.client}".`
            : // The class would let it run: say it is the client's own rule.
              `The operation is not registered for client "${guards.client}", which may run only its registered operations.`;
      return {
        async didResolveSource({ queryHash }) {
          // Free-form text identical to a trusted document is that document.
          if (guards.trusted || safelist === 'off' || consumer.class === 'partner') return;
          guards.trusted = (await options.documents.find(guards.client, queryHash)) !== undefined;
        },
        async didResolveOperation({ operationName, queryHash }) {
          if (guards.trusted || safelist === 'off') return;
          if (consumer.class === 'partner' && id === undefined) {
            guards.refused = true;
            throw refusal(
              ErrorCode.PERSISTED_QUERY_ID_REQUIRED,
              "Partners run only their registered operations: send the operation's id in extensions.persistedQuery.sha256Hash or documentId, not its text.",
            );
          }
          if (safelist === 'log-unknown') {
            contextValue.logger.info(
              { client: guards.client, operationName, operationHash: queryHash },
              "operation not in the client's trusted documents (safelist: log-unknown)",
            );
            return;
          }
          guards.refused = true;
          throw refusal(ErrorCode.PERSISTED_QUERY_NOT_IN_LIST, notInListMessage());
        },
        async willSendResponse({ request, response, metrics }) {
          if (id === 'invalid' && response.body.kind === 'single') {
            // Apollo only saw a request without a query; say what was wrong with it.
            response.http.status = 400;
            response.body.singleResult = {
              errors: [
                {
                  message:
                    'documentId must be "sha256:" followed by the 64 hex digits of the document\'s SHA-256.',
                  extensions: { code: ErrorCode.BAD_REQUEST },
                },
              ],
            };
          }
          if (notInList && response.body.kind === 'single') {
            guards.refused = true;
            response.http.status = 403;
            response.body.singleResult = {
              errors: [
                {
                  message: notInListMessage(),
                  extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST },
                },
              ],
            };
          }
          if (request.http?.method !== 'GET') return;
          const cacheable =
            (guards.trusted || metrics.persistedQueryHit === true) &&
            consumer.class === 'anonymous' &&
            (response.http.status ?? 200) === 200 &&
            response.body.kind === 'single' &&
            !response.body.singleResult.errors;
          response.http.headers.set(
            'cache-control',
            cacheable ? `public, max-age=${maxAge}` : 'private, no-store',
          );
        },
      };
    },
  };
}

const hexId = /^[0-9a-f]{64}$/;

/**
 * The document id a request names, lowercase hex; 'invalid' for a
 * `documentId` that is not one; undefined for none. `documentId` follows the
 * GraphQL-over-HTTP draft (`sha256:<hex>`; bare hex accepted).
 */
function documentIdOf(request: GraphQLRequest): string | undefined {
  const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  if (typeof persisted?.sha256Hash === 'string') return persisted.sha256Hash.toLowerCase();
  const http = request.http;
  if (!http) return undefined;
  const raw =
    http.method === 'GET'
      ? new URLSearchParams(http.search).get('documentId')
      : (http.body as { documentId?: unknown } | undefined)?.documentId;
  if (raw === null || raw === undefined) return undefined;
  const id = typeof raw === 'string' ? raw.replace(/^sha256:/, '').toLowerCase() : '';
  return hexId.test(id) ? id : 'invalid';
}

function refusal(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 403 } } });
}

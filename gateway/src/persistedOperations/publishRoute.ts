import { ErrorCode } from '@bff/core';
import express from 'express';
import type { Request, Response, Router } from 'express';
import type { GraphQLSchema } from 'graphql';

import { AuthenticationError } from '../identity/AuthenticationError.js';
import type { ConsumerResolver } from '../identity/ConsumerResolver.js';
import { SharedStoreUnavailableError } from '@bff/shared-state';
import { clientNamePattern, ManifestError, readManifest } from './manifest.js';
import type { TrustedDocuments } from './TrustedDocuments.js';

/** The scope that may publish trusted documents. */
export const publishScope = 'pq:publish';

export interface PublishRouteOptions {
  documents: TrustedDocuments;
  identity: ConsumerResolver;
  /** The graph the operations must validate against, as served now. */
  schema: () => GraphQLSchema;
  /** @default 5_000_000 */
  maxBodyBytes?: number;
}

/**
 * `PUT /admin/persisted-operations/:client` with a manifest body publishes
 * it for that client, at once on every replica sharing the store, with no
 * restart (`npm run pq:publish`). Needs a bearer token with `pq:publish`.
 * Every operation is checked against the graph first; one bad operation
 * refuses the whole manifest, listing every problem.
 */
export function publishRoute(options: PublishRouteOptions): Router {
  const router = express.Router();
  router.put(
    '/admin/persisted-operations/:client',
    express.json({ limit: options.maxBodyBytes ?? 5_000_000 }),
    async (req: Request<{ client: string }>, res: Response) => {
      const fail = (status: number, code: ErrorCode, message: string, details?: unknown) =>
        void res.status(status).json({
          error: { code, message, status, ...(details ? { details } : {}), request_id: req.id },
        });
      let consumer;
      try {
        consumer = await options.identity.resolve(req.headers);
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        res.setHeader('www-authenticate', 'Bearer');
        return fail(401, ErrorCode.UNAUTHENTICATED, error.message);
      }
      if (consumer.class === 'anonymous') {
        res.setHeader('www-authenticate', 'Bearer');
        return fail(401, ErrorCode.UNAUTHENTICATED, 'Publishing needs a bearer token.');
      }
      if (!consumer.scopes.has(publishScope))
        return fail(403, ErrorCode.FORBIDDEN, `Publishing needs the ${publishScope} scope.`);
      const { client } = req.params;
      if (!clientNamePattern.test(client))
        return fail(
          400,
          ErrorCode.BAD_USER_INPUT,
          'The client name must be letters, digits, ".", "_" or "-" (at most 64).',
        );
      const schema = options.schema();
      let operations;
      try {
        operations = readManifest(req.body, `manifest for ${client}`, schema);
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        return fail(
          400,
          ErrorCode.BAD_USER_INPUT,
          'The manifest was refused; nothing was published.',
          error.problems,
        );
      }
      try {
        const added = await options.documents.publish(client, operations);
        req.log.info(
          { client, operations: operations.length, added, by: consumer.id },
          'published',
        );
        res.json({ client, operations: operations.length, added });
      } catch (error) {
        if (!(error instanceof SharedStoreUnavailableError)) throw error;
        fail(
          503,
          ErrorCode.SHARED_STORE_UNAVAILABLE,
          'The shared store did not answer; part of the manifest may be published. Publishing again is safe.',
        );
      }
    },
  );
  return router;
}

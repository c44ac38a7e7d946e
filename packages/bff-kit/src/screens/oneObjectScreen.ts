import { ErrorCode } from '@bff/core';
import type { Request, Response } from 'express';

import type { GatewayClient } from '../gateway/GatewayClient.js';
import { ApiError } from '../http/ApiError.js';
import { sendError, sendScreen } from '../http/sendScreen.js';
import type { TrustedDocument } from '../trustedDocuments.js';
import {
  callerOf,
  failureOf,
  idPattern,
  missingParts,
  rootOf,
  withoutNulls,
} from './screenAnswer.js';

/** A screen about one object, fetched by its id with one trusted document. */
export interface OneObjectScreen<D, S extends { partial?: string[] }> {
  /** `data[root]`: the object the screen is about. */
  root: string;
  /** What the id is, for the 400 on a malformed one: "an order id". */
  idName: string;
  /** The 404 when the graph has no such object. */
  notFound: (id: string) => string;
  /** The screen's payload from the object. */
  shape: (data: D) => S;
  /** Which part of the screen an error at `path` leaves empty. */
  partOf: (path: readonly (string | number)[]) => string;
}

/**
 * `GET …/:id` for such a screen: the id checked, the gateway asked once,
 * then the screen (with `partial` naming what an upstream could not fill)
 * or the error its root met.
 */
export function oneObjectScreenHandler<D, S extends { partial?: string[] }>(
  gateway: GatewayClient,
  document: TrustedDocument,
  screen: OneObjectScreen<D, S>,
) {
  return async (req: Request<{ id: string }>, res: Response): Promise<void> => {
    const { id } = req.params;
    if (!idPattern.test(id)) {
      sendError(
        req,
        res,
        new ApiError(ErrorCode.BAD_USER_INPUT, 400, `Not ${screen.idName}.`, { id }),
      );
      return;
    }
    const result = await gateway.execute(document, { id }, callerOf(req));
    const data = rootOf<D>(result, screen.root);
    if (!data) {
      const error = failureOf(
        req,
        result,
        screen.root,
        () => new ApiError(ErrorCode.NOT_FOUND, 404, screen.notFound(id), { id }),
      );
      if (error.status >= 500) req.log.error({ gateway: result }, 'gateway failed');
      sendError(req, res, error);
      return;
    }
    const payload = screen.shape(data);
    const partial =
      result.kind === 'answer' ? missingParts(result.errors, screen.partOf) : undefined;
    if (partial) payload.partial = partial;
    sendScreen(req, res, withoutNulls(payload));
  };
}

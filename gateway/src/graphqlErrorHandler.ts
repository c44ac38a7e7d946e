import { ErrorCode } from '@bff/core';
import type { ErrorRequestHandler } from 'express';

/**
 * Rejections on /graphql that happen before Apollo runs (a body that is too
 * large or not JSON) still answer in GraphQL's shape, with a code and the
 * request id, so clients have one error format to handle.
 */
export const graphqlErrorHandler: ErrorRequestHandler = (err, req, res, next) => {
  const status = typeof err?.status === 'number' ? (err.status as number) : 500;
  if (res.headersSent || status >= 500) {
    next(err);
    return;
  }
  const tooLarge = status === 413;
  res.status(status).json({
    errors: [
      {
        message: tooLarge
          ? `The request body is larger than the ${String(err.limit ?? '')} bytes allowed.`
          : `The request body could not be read: ${err instanceof Error ? err.message : 'malformed'}.`,
        extensions: {
          code: tooLarge ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.BAD_REQUEST,
          requestId: String(req.id),
        },
      },
    ],
  });
};

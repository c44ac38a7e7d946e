import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';

import { ErrorCode, isErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

export interface ErrorFormatterOptions {
  logger: Logger;
  /**
   * Keep the original message of unexpected errors (development only; never
   * in production, where it could carry SQL, URLs or upstream bodies).
   * @default false
   */
  exposeInternalErrors?: boolean;
}

/** Extension keys that carry internals and are removed from every error. */
const internalExtensions = ['stacktrace', 'exception', 'response', 'http'];

/**
 * Apollo Server `formatError`: errors with a known code pass with their
 * message (stripped of internal extensions); anything else is logged in full
 * and answered as a generic INTERNAL_SERVER_ERROR. It never throws: a
 * formatter that throws turns one bad error into a failed response.
 */
export function createErrorFormatter(options: ErrorFormatterOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    try {
      const code = formatted.extensions?.code;
      if (isErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
        const extensions = { ...formatted.extensions };
        for (const key of internalExtensions) delete extensions[key];
        return { ...formatted, extensions };
      }
      const original = unwrapResolverError(error);
      options.logger.error({ err: original, path: formatted.path }, 'unexpected error');
      return {
        message: options.exposeInternalErrors ? formatted.message : 'Internal server error',
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      };
    } catch {
      return {
        message: 'Internal server error',
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      };
    }
  };
}

import { GraphQLError } from 'graphql';

/**
 * The closed set of error codes any service of the graph puts in
 * `extensions.code`. Reuses Apollo Server's codes where they exist so clients
 * see one vocabulary. Every code is documented in docs/ERRORS.md, and a test
 * keeps the two in step.
 */
export const ErrorCode = {
  // Apollo Server's own codes.
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // Identity and access.
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  UNAUTHORIZED_FIELD_OR_TYPE: 'UNAUTHORIZED_FIELD_OR_TYPE',
  FORBIDDEN: 'FORBIDDEN',
  // Operation limits, checked before any subgraph is called.
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  MAX_ROOT_FIELDS_EXCEEDED: 'MAX_ROOT_FIELDS_EXCEEDED',
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  // Persisted operations (Apollo Router's codes).
  PERSISTED_QUERY_ID_REQUIRED: 'PERSISTED_QUERY_ID_REQUIRED',
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  // Rate limits.
  RATE_LIMITED: 'RATE_LIMITED',
  // Shared state (Redis) as seen from the gateway.
  SHARED_STORE_UNAVAILABLE: 'SHARED_STORE_UNAVAILABLE',
  // Data.
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  // A BFF screen version past its sunset date.
  VERSION_RETIRED: 'VERSION_RETIRED',
  // Upstream systems (ERP, CRM, inventory) as seen from a subgraph.
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_RATE_LIMITED: 'UPSTREAM_RATE_LIMITED',
  // Subgraphs as seen from the gateway.
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  DOWNSTREAM_SERVICE_ERROR: 'DOWNSTREAM_SERVICE_ERROR',
  // Upstream events (signed webhooks) refused by the service they are sent to.
  WEBHOOK_SIGNATURE_INVALID: 'WEBHOOK_SIGNATURE_INVALID',
  WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE: 'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const knownCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/**
 * A GraphQL error with a stable code. `extensions` may add machine-readable
 * detail (the limit, the measured value); it must never carry internals.
 */
export function codedError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}) {
  return codedError(ErrorCode.BAD_USER_INPUT, message, extensions);
}

export function notFound(message: string, extensions: Record<string, unknown> = {}) {
  return codedError(ErrorCode.NOT_FOUND, message, extensions);
}

/** Ends an exhaustive switch: the compiler proves it unreachable. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}

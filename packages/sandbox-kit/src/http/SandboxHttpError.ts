/** A client error a sandbox route answers with, in that upstream's own error format. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Machine-readable detail the upstream adds to its error body. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SandboxHttpError';
  }
}

/** Each upstream words its errors its own way; the subgraphs only rely on the status. */
export type ErrorBodyFormat = (
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
) => unknown;

/** Credentials were sent but are not acceptable: a 401, never a fall back to anonymous. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
  constructor(
    /** Safe to show the client: what was wrong, not how we checked. */
    message: string,
    /** For the log only. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

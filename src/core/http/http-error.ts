/** An error that is the client's, with a stable code and a message key a person can read. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly messageKey: string,
    readonly headers: Record<string, string> = {},
    /** Field name → message key, for 422 answers. */
    readonly fields?: Record<string, string>,
  ) {
    super(code);
    this.name = 'HttpError';
  }
}

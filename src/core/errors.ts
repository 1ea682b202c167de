// Domain errors and the one table of stable error codes. Services throw these; GraphQL shows
// the code in errors[].extensions.code (or in a payload's userErrors for expected failures),
// and the REST layer maps the same code to each dialect's status and body.

export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: 'Malformed request' },
  BAD_USER_INPUT: { status: 400, message: 'Invalid input' },
  QUERY_TOO_DEEP: { status: 400, message: 'Query is nested too deeply' },
  QUERY_TOO_COMPLEX: { status: 400, message: 'Query would cost too much' },
  VALIDATION_FAILED: { status: 400, message: 'Validation failed' },
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid login or password' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  ACCOUNT_BLOCKED: { status: 403, message: 'This account is blocked' },
  ACCOUNT_DISABLED: { status: 403, message: 'This account is disabled' },
  FORBIDDEN: { status: 403, message: 'Not allowed' },
  INSUFFICIENT_SCOPE: { status: 403, message: 'The token lacks the scope this operation needs' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, message: 'Not acceptable' },
  CONFLICT: { status: 409, message: 'Conflict' },
  PRECONDITION_FAILED: { status: 412, message: 'Precondition failed' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  INTERNAL_SERVER_ERROR: { status: 500, message: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable; retry later' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const statusOf = (code: ErrorCode): number => ERROR_CODES[code].status;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    /** The input field at fault, for userErrors (e.g. "input.username"). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
  get status(): number {
    return statusOf(this.code);
  }
  /** Expected failures of a mutation: returned as userErrors rather than top-level errors. */
  get isUserError(): boolean {
    return ['BAD_USER_INPUT', 'VALIDATION_FAILED', 'CONFLICT', 'PRECONDITION_FAILED', 'INVALID_CREDENTIALS', 'ACCOUNT_BLOCKED', 'ACCOUNT_DISABLED'].includes(
      this.code,
    );
  }
}

export const notFound = (what = 'Not found') => new DomainError('NOT_FOUND', what);
export const forbidden = (why?: string) => new DomainError('FORBIDDEN', why);
export const unauthenticated = (why?: string) => new DomainError('UNAUTHENTICATED', why);
export const validation = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, field);
export const conflict = (field: string, message: string) => new DomainError('CONFLICT', message, field);

/**
 * Over a budget or throttled: 429 with Retry-After (and, from budgets, the RateLimit-* headers).
 * graphql-js copies an original error's `extensions` onto the error it reports, and Apollo turns
 * `extensions.http` into the response's status and headers, so a resolver's throw answers 429 too.
 */
export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string = ERROR_CODES.RATE_LIMITED.message,
    /** Further headers for the answer (RateLimit-*), lower-case names. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super('RATE_LIMITED', message);
  }
  get extensions() {
    return { code: this.code, http: { status: this.status, headers: new Map(Object.entries(this.responseHeaders)) } };
  }
  get responseHeaders(): Record<string, string> {
    return { ...this.headers, 'retry-after': String(Math.max(1, Math.ceil(this.retryAfterSeconds))) };
  }
}

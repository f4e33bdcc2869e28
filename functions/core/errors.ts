/**
 * One error type per failure a user can meet. Handlers and services throw these; the HTTP
 * pipeline (./http.ts) turns them into RFC 9457 problem responses in one place.
 */

export interface FieldError {
  /** JSON pointer into the request: `/body/email`, `/path/orgId`, `/query/limit`. */
  pointer: string;
  detail: string;
}

export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
  /** Short, stable slug that becomes the problem `type` (`/problems/<slug>`). */
  abstract readonly slug: string;
  abstract readonly title: string;
  /** Below 500 the message is meant for the caller. */
  readonly expose = true;
  /** Extension members added to the problem body. */
  extensions(): Record<string, unknown> {
    return {};
  }
}

export class ValidationFailed extends HttpError {
  readonly statusCode = 400;
  readonly slug = 'validation-failed';
  readonly title = 'The request is not valid';
  readonly errors: FieldError[];
  constructor(errors: FieldError[], detail = 'One or more fields are invalid.') {
    super(detail);
    this.errors = errors;
  }
  override extensions() {
    return { errors: this.errors };
  }
}

export class Unauthorized extends HttpError {
  readonly statusCode = 401;
  readonly slug = 'unauthorized';
  readonly title = 'Authentication is required';
}

export class Forbidden extends HttpError {
  readonly statusCode = 403;
  readonly slug = 'forbidden';
  readonly title = 'You are not allowed to do this';
}

export class NotFound extends HttpError {
  readonly statusCode = 404;
  readonly slug = 'not-found';
  readonly title = 'Not found';
}

export class Conflict extends HttpError {
  readonly statusCode = 409;
  readonly slug = 'conflict';
  readonly title = 'The request conflicts with the current state';
}

export interface UnmetRequirement {
  /** Stable code a client can act on. */
  code: string;
  detail: string;
}

/** A request that can only be honoured once listed requirements are met (R27). */
export class PreconditionFailed extends HttpError {
  readonly statusCode = 409;
  readonly slug = 'precondition-failed';
  readonly title = 'Requirements are not met';
  readonly unmet: UnmetRequirement[];
  constructor(unmet: UnmetRequirement[], detail = 'Some requirements are not met.') {
    super(detail);
    this.unmet = unmet;
  }
  override extensions() {
    return { unmet: this.unmet };
  }
}

export class Gone extends HttpError {
  readonly statusCode = 410;
  readonly slug = 'gone';
  readonly title = 'This is no longer available';
}

export class UnsupportedMediaType extends HttpError {
  readonly statusCode = 415;
  readonly slug = 'unsupported-media-type';
  readonly title = 'The request body must be JSON';
}

/** A limit against abuse was reached (issue 13); `retryAfterSeconds` also goes out as Retry-After. */
export class TooManyRequests extends HttpError {
  readonly statusCode = 429;
  readonly slug = 'too-many-requests';
  readonly title = 'Too many requests';
  readonly retryAfterSeconds: number;
  constructor(detail: string, retryAfterSeconds: number) {
    super(detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
  override extensions(): Record<string, unknown> {
    return { retryAfterSeconds: this.retryAfterSeconds };
  }
}

/** Typed failures that the one error handler (src/flow/error-pages.ts) turns into pages. */

/** A dependency (the session store, PostgreSQL) cannot be reached: 503, come back later. */
export class UnavailableError extends Error {
  readonly statusCode = 503;
  readonly dependency: string;

  constructor(dependency: string, cause: unknown) {
    super(`${dependency} unavailable`, { cause });
    this.name = 'UnavailableError';
    this.dependency = dependency;
  }
}

/** Too many of one kind of request from one client or for one account: 429, "too many attempts". */
export class TooManyRequestsError extends Error {
  readonly statusCode = 429;
  readonly code = 'WZBAM320E';

  constructor(what: string) {
    super(`too many ${what}`);
    this.name = 'TooManyRequestsError';
  }
}

/** A body no page sends (JSON, multipart, text): 415, refused unread. */
export class UnsupportedBodyError extends Error {
  readonly statusCode = 415;
  readonly code = 'WZBAM331E';

  constructor() {
    super('unsupported body');
    this.name = 'UnsupportedBodyError';
  }
}

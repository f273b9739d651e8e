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

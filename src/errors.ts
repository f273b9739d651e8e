/**
 * Typed failures. The one error writer (src/flow/error-pages.ts) turns an unavailable dependency
 * into a 503 page; the engine turns the flow's own failures (out of sequence, expired, conflict)
 * into the terminal pages the machine names. Each is told apart by its class, never by its text.
 */
import pg from 'pg';

/** A dependency (the session store, PostgreSQL, the queue) cannot be reached: 503, come back later. */
export class UnavailableError extends Error {
  readonly statusCode = 503;
  readonly dependency: string;

  constructor(dependency: string, cause: unknown) {
    super(`${dependency} unavailable`, { cause });
    this.name = 'UnavailableError';
    this.dependency = dependency;
  }
}

/**
 * What was wrong with a refused request (a security event to log): another page or render, a
 * stale or foreign step token, an action the state does not take, a concurrent move, a replaced
 * (old) session id.
 */
export type RefusalCause = 'page' | 'step_token' | 'action' | 'concurrent' | 'old_id';

/** Where a flow failure happened, for the traffic record and the wording of its page. */
export interface FlowPlace {
  /** The visit's trace, if it has one. */
  trace?: string;
  /** The state path it was in. */
  from?: string;
  /** Whether someone had signed in to the session (the page then says they were logged out). */
  signedIn?: boolean;
  /** Why the request was refused, when it was. */
  refused?: RefusalCause;
}

/** A failure of the flow itself, with where it happened. */
abstract class FlowFailure extends Error {
  readonly place: FlowPlace;

  constructor(message: string, place: FlowPlace) {
    super(message);
    this.name = new.target.name;
    this.place = place;
  }
}

/**
 * A request out of sequence (the Back button, a stale or foreign step token, an event the state
 * cannot take): the session ends on the invalid-operation page (manual 1.4 item 7).
 */
export class OutOfSequenceError extends FlowFailure {
  constructor(place: FlowPlace = {}) {
    super('out of sequence', place);
  }
}

/**
 * A session that has timed out, or an id that no longer names one (the old id of a session that
 * moved to a new one): the timed-out page, log in again.
 */
export class SessionExpiredError extends FlowFailure {
  constructor(place: FlowPlace = {}) {
    super('session expired', place);
  }
}

/** Another request of the same session wrote first (the compare-and-set on its revision failed). */
export class ConflictError extends Error {
  constructor() {
    super('session written by another request');
    this.name = 'ConflictError';
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

/** Node's codes of a connection that could not be made or was lost (pg, ioredis and nodemailer pass them on). */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL's SQLSTATEs of a server that cannot serve now: class 08 (connection exception),
 * 57P01–57P03 (admin or crash shutdown, cannot connect now) and 53300 (too many connections).
 */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);

function unavailableState(code: string): boolean {
  return code.startsWith('08') || unavailableStates.has(code);
}

/**
 * Whether pg failed for its connection rather than for the statement. pg gives a lost or timed-out
 * connection no code: it throws a plain `Error` ("Connection terminated…", "timeout exceeded…").
 * Everything the server refuses is a `DatabaseError`, and a mistake in our code a subclass such as
 * `TypeError`, so the class tells them apart.
 */
export function isConnectionFailure(error: unknown): boolean {
  return isUnavailable(error) || (error instanceof Error && error.constructor === Error);
}

/** Whether an error (or an error it wraps as its `cause`) says a dependency cannot be reached. */
export function isUnavailable(error: unknown): boolean {
  for (let at = error, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++) {
    if (at instanceof UnavailableError) return true;
    const code = (at as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (at instanceof pg.DatabaseError ? unavailableState(code) : networkCodes.has(code)) return true;
  }
  return false;
}

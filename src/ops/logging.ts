/**
 * Structured JSON logs (pino through Fastify). Nothing personal leaves in them: cookies,
 * authorization and query strings (reset tokens travel in URLs) are dropped, form bodies are never
 * logged, and sessions appear only as a short hash that links one session's lines together.
 *
 * Logging never blocks: lines go to a bounded asynchronous buffer (`logDestination`), and when the
 * reader falls that far behind (a stuck log shipper), new lines are dropped and counted instead of
 * waiting — pino's own synchronous destination retried a full pipe in a loop that held the event
 * loop, and with it every request and the shutdown deadline.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { readSessionId } from '../flow/session-cookie.ts';
import { boundedMemo } from './memo.ts';
import { fromTrustedProxy, type ProxyTrust } from './proxy-trust.ts';

/** A short hash that links one session's log lines and traffic records, never the id itself. */
export const hashSessionId = boundedMemo(
  (sessionId: string) => createHash('sha256').update(sessionId).digest('base64url').slice(0, 12),
  10_000,
);

/**
 * What a request's log lines carry beyond the line itself: its id and, from the onRequest hooks
 * on, its session.
 * Kept on the request's logger as a plain property and turned into fields only when a line is
 * written: a pino child per request (two, with the session) cost 4 % of a page view's CPU for lines
 * that, at the production level, are almost never written.
 */
const requestTag = Symbol('zairyu.requestTag');

interface RequestTag {
  bindings: Record<string, unknown>;
  request?: FastifyRequest;
  /** The hashed session id; null when the request has none, undefined until known. */
  session?: string | null;
}

type TaggedLogger = FastifyBaseLogger & { [requestTag]?: RequestTag };

function tagFields(logger: TaggedLogger): Record<string, unknown> {
  const tag = logger[requestTag];
  if (!tag) return {};
  if (tag.session === undefined && tag.request) {
    const sessionId = readSessionId(tag.request);
    tag.session = sessionId ? hashSessionId(sessionId) : null;
  }
  return tag.session ? { ...tag.bindings, session: tag.session } : { ...tag.bindings };
}

/** Bytes of log lines waiting for a slow reader (about 700 request lines) beyond which new ones are dropped. */
export const logBufferBytes = 256 * 1024;

let droppedLines = 0;

/** Log lines dropped so far in this process because the reader was too slow (a metric). */
export function droppedLogLines(): number {
  return droppedLines;
}

/** What pino writes to: one line (a JSON string ending in a newline) at a time. */
export interface LogDestination {
  write(line: string): void;
}

type LogStream = Pick<Writable, 'write' | 'writableLength' | 'once'>;

/**
 * Lines to `stream` (stdout by default) without ever waiting for it. Pipes and sockets are
 * written asynchronously (files and terminals synchronously, which do not stall); past `limitBytes`
 * waiting, a line is dropped and counted, and the first drop is reported, once, by a line of its
 * own before the next line that fits. `pretty` turns each JSON line into a human-readable one
 * (development).
 */
export function logDestination(
  stream: LogStream = process.stdout,
  options: { limitBytes?: number; pretty?: boolean } = {},
): LogDestination {
  const limitBytes = options.limitBytes ?? logBufferBytes;
  const emit = (line: string) => stream.write(options.pretty ? prettyLine(line) : line);
  const fits = (line: string) => stream.writableLength + line.length <= limitBytes;
  let report: 'none' | 'due' | 'done' = 'none';
  const reportLine = () => {
    const msg =
      `${droppedLines} log lines dropped: the log reader fell ${limitBytes} bytes behind ` +
      '(zairyu_log_lines_dropped_total counts every one)';
    return `${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, msg })}\n`;
  };
  return {
    write(line) {
      if (!fits(line)) {
        droppedLines += 1;
        if (report === 'none') report = 'due';
        return;
      }
      if (report === 'due') {
        report = 'done';
        emit(reportLine());
      }
      emit(line);
    },
  };
}

/** Waits until `stream` has written what it holds, for at most `ms` (before exiting). */
export function logFlushed(stream: LogStream = process.stdout, ms = 1000): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stream.once('drain', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const levelNames: Record<string, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields a pretty line shows in its own way, or not at all. */
const shownApart = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'name',
  'msg',
  'req',
  'res',
  'responseTime',
  'err',
]);

/**
 * One JSON log line as `12:34:56.789 INFO  incoming request GET /menu reqId=…`: the time, the
 * level, the message, a request's method and path or its status and time, then the other fields.
 */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = String(entry.level);
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  const err = entry.err as { message?: string; stack?: string } | undefined;
  const parts = [
    new Date(Number(entry.time)).toISOString().slice(11, 23),
    (levelNames[level] ?? level.toUpperCase()).padEnd(5),
    String(entry.msg ?? ''),
    req ? `${req.method} ${req.url}` : '',
    res ? `${res.statusCode} in ${Number(entry.responseTime ?? 0).toFixed(1)} ms` : '',
    ...Object.entries(entry)
      .filter(([key]) => !shownApart.has(key))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`),
  ];
  const line = parts.filter((part) => part !== '').join(' ');
  return `${line}${err ? `\n  ${err.stack ?? err.message}` : ''}\n`;
}

export function loggerOptions(
  level: string,
  stream: LogDestination = logDestination(),
): FastifyServerOptions['logger'] {
  return {
    level,
    stream,
    mixin: (_merge: object, _level: number, logger: unknown) => tagFields(logger as TaggedLogger),
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; id: string }) => ({
        method: request.method,
        // the path only: query strings may carry a link token or a language switch
        url: request.url.split('?')[0],
        id: request.id,
      }),
    },
  };
}

/** A request id a proxy may hand on: printable ASCII without spaces, at most 128 characters. */
const forwardedRequestId = /^[\x21-\x7e]{1,128}$/;

/**
 * Each request's id: the `X-Request-Id` of a trusted proxy in front (so one id follows a request
 * through the balancer's logs and ours), a fresh one otherwise — a client cannot name its lines.
 */
export function requestLogOptions(trust: ProxyTrust | undefined) {
  return {
    genReqId: (raw) => {
      const given = raw.headers['x-request-id'];
      return typeof given === 'string' && forwardedRequestId.test(given) && fromTrustedProxy(trust, raw)
        ? given
        : randomUUID();
    },
    requestIdHeader: false,
    // The request's logger inherits everything from the app's and only adds its tag.
    childLoggerFactory: (logger, bindings, options) => {
      const child: TaggedLogger =
        Object.keys(options).length > 0 ? logger.child({}, options) : Object.create(logger);
      child[requestTag] = { bindings };
      return child;
    },
  } satisfies FastifyServerOptions;
}

async function sessionLogging(app: FastifyInstance) {
  app.addHook('onRequest', (request, reply, done) => {
    const tag = (request.log as TaggedLogger)[requestTag];
    if (tag) tag.request = request;
    // the id to quote to the help desk or to find the request's lines by
    reply.header('x-request-id', request.id);
    done();
  });
}

export default fp(sessionLogging, { name: 'session-logging', dependencies: ['session-cookie'] });

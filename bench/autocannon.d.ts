/**
 * The part of autocannon's programmatic API the benchmark uses (the package ships no types).
 * A connection walks through `requests` in order and starts again at the first; its `context`
 * is a fresh copy of `initialContext` at every start.
 */
declare module 'autocannon' {
  export type Context = Record<string, unknown>;

  export interface Request {
    method?: 'GET' | 'POST';
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called just before the request is written; answering null starts the list again. */
    setupRequest?: (request: Request, context: Context) => Request | null;
    /** Called with each response; `headers` keep the case they were sent in. */
    onResponse?: (
      status: number,
      body: string,
      context: Context,
      headers: Record<string, string | string[]>,
    ) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Requests in all; the run ends when the last is answered. */
    amount?: number;
    /** Seconds before a request counts as a timeout. */
    timeout?: number;
    pipelining?: number;
    requests?: Request[];
    initialContext?: Context;
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }

  export interface Result {
    requests: Histogram & { sent: number };
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    /** Seconds. */
    duration: number;
    start: Date;
    finish: Date;
  }

  /** A thenable event emitter (not a real Promise). */
  export interface Instance extends PromiseLike<Result> {
    stop(): void;
  }

  function autocannon(options: Options): Instance;
  export default autocannon;
}

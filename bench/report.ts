/**
 * The results of a run: their shape (the JSON file), the budget verdicts and the Markdown summary.
 */
import type { LatencySummary, LoadResult, LoginsResult, VisitorsResult } from './drivers.ts';
import type { MailResult } from './mail.ts';
import type { KeyGroup, SessionKind } from './memory.ts';
import type { ServerStats } from './server.ts';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  redis: string;
  postgres: string;
  /** 1, 5 and 15-minute load averages when the run started: a busy machine gives noisy figures. */
  loadAverage: number[];
  /**
   * argon2id hashes per second with the service's parameters, one after another on one thread,
   * before the run: the machine's speed at the work that bounds logins (absent in older runs).
   */
  argon2PerSecond?: number;
}

export interface Settings {
  /** Each load run but the transitions comparison. */
  seconds: number;
  /**
   * The transitions comparison, per server: the one figure compared between servers, so it runs
   * longest, in short rounds that take turns (one disturbed round weighs little).
   */
  transitionSeconds: number;
  /** The transitions runs of the service and the two references take turns in this many rounds. */
  rounds: number;
  /** Processes of the service, and of each reference, each load spread over them. */
  processes: number;
  warmupSeconds: number;
  connections: number;
  loginConnections: number;
  sessions: number;
  mails: number;
  mailRate: number;
  /** The service's environment that matters for speed. */
  service: { NODE_ENV: string; LOG_LEVEL: string; RATE_LIMIT_PER_MINUTE: string };
  /** The Node flags of `npm start`, which every server ran with (absent in runs before them). */
  nodeFlags?: string[];
}

/** A load run with what the server process and the load generator (this process) spent. */
export type Measured<T> = T & { server: ServerStats; generatorCpuMs: number };

export interface Ratios {
  throughput: number;
  p50: number;
  p99: number;
}

export interface Results {
  /** The run's start time, as `2026-11-29T1012Z`: its files are bench/results/<name>.json and .md. */
  name: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  settings: Settings;
  transitions: {
    zairyu: Measured<LoadResult>;
    /** The bare baseline (bench/baseline.ts). */
    baseline: Measured<LoadResult>;
    /** The conventional stack (bench/conventional.ts). */
    conventional: Measured<LoadResult>;
    /** zairyu ÷ baseline */
    ratio: Ratios;
    /** zairyu ÷ the conventional stack */
    versusConventional: Ratios;
  };
  logins: Measured<LoginsResult> & { perCore: number };
  mixed: { transitions: LoadResult; logins: LoginsResult; server: ServerStats; p99Ratio: number };
  mail: MailResult;
  memory: {
    visitors: VisitorsResult;
    keys: Partial<Record<SessionKind, KeyGroup>>;
    /** Growth of Redis's used_memory while the visitor sessions were created, per session. */
    usedMemoryPerSession: number;
    /** The service's resident memory: at rest after start, after each scenario, and its peak. */
    rss: {
      idle: number;
      afterTransitions: number;
      afterLogins: number;
      afterMail: number;
      afterSessions: number;
      max: number;
    };
    /** The service's JavaScript heap in use after the visitor sessions. */
    heapUsed: number;
  };
  budgets: Budget[];
}

/**
 * A run's name: its start time in UTC, `2026-11-29T1012Z`, with the seconds when a kept run
 * already has that minute's name (`taken`), so that no run ever replaces another.
 */
export function runName(start: Date, taken: (name: string) => boolean): string {
  const iso = start.toISOString();
  const minute = `${iso.slice(0, 16).replace(':', '')}Z`;
  return taken(minute) ? `${iso.slice(0, 19).replaceAll(':', '')}Z` : minute;
}

export interface Budget {
  name: string;
  limit: string;
  measured: string;
  pass: boolean;
}

const kilobyte = 1024;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const times = (value: number) => `${value.toFixed(2)}×`;
const percent = (value: number) => `${(value * 100).toFixed(0)} %`;
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export function budgets(r: Omit<Results, 'budgets'>): Budget[] {
  const { zairyu, baseline, conventional, ratio, versusConventional } = r.transitions;
  const visitor = r.memory.keys.visitor;
  const signedIn = r.memory.keys.signedIn;
  const errors =
    zairyu.errors +
    baseline.errors +
    conventional.errors +
    r.logins.errors +
    r.mixed.transitions.errors +
    r.mixed.logins.errors +
    r.memory.visitors.errors;
  return [
    {
      name: 'Transitions throughput',
      limit: '≥ 85 % of the baseline',
      measured: `${percent(ratio.throughput)} (${int(zairyu.requestsPerSecond)} vs ${int(baseline.requestsPerSecond)} req/s)`,
      pass: ratio.throughput >= 0.85,
    },
    {
      name: `Transitions p99 at ${zairyu.connections} connections`,
      limit: "≤ 1.5× the baseline's, in the same rounds",
      measured: `${times(ratio.p99)} (${ms(zairyu.latency.p99)} vs ${ms(baseline.latency.p99)})`,
      pass: ratio.p99 <= 1.5,
    },
    {
      name: 'Transitions throughput vs the conventional stack',
      limit: '≥ 1.2× (Fastify, @fastify/session, connect-redis)',
      measured: `${times(versusConventional.throughput)} (${int(zairyu.requestsPerSecond)} vs ${int(conventional.requestsPerSecond)} req/s)`,
      pass: versusConventional.throughput >= 1.2,
    },
    {
      name: `Redis per session (${int(visitor?.keys ?? 0)} visitor sessions)`,
      limit: '≤ 1.5 KB',
      measured: visitor ? `${int(visitor.bytes)} B` : 'not measured',
      pass: visitor !== undefined && visitor.bytes <= 1.5 * kilobyte,
    },
    {
      name: 'Redis per session (signed in)',
      limit: '≤ 1.5 KB',
      measured: signedIn ? `${int(signedIn.bytes)} B` : 'not measured',
      pass: signedIn !== undefined && signedIn.bytes <= 1.5 * kilobyte,
    },
    {
      name: 'Logins per core',
      limit: '≥ 30/s',
      measured: `${r.logins.perCore.toFixed(1)}/s (${r.logins.loginsPerSecond.toFixed(1)}/s on ${r.machine.cores} cores)`,
      pass: r.logins.perCore >= 30,
    },
    {
      name: 'Transitions p99 during a login storm',
      limit: '≤ 2× without',
      measured: `${times(r.mixed.p99Ratio)} (${ms(r.mixed.transitions.latency.p99)} vs ${ms(zairyu.latency.p99)})`,
      pass: r.mixed.p99Ratio <= 2,
    },
    {
      name: 'Mail p95 enqueue → accepted',
      limit: '≤ 1 s',
      measured: ms(r.mail.latency.p95),
      pass: r.mail.latency.p95 <= 1000,
    },
    {
      name: 'Mail lost',
      limit: 'none',
      measured: `${int(r.mail.lost)} of ${int(r.mail.enqueued)}`,
      pass: r.mail.lost === 0 && r.mail.failedToEnqueue === 0 && r.mail.enqueued === r.settings.mails,
    },
    {
      name: 'Wrong answers (all load runs)',
      limit: 'none',
      measured: int(errors),
      pass: errors === 0,
    },
  ];
}

/** `npm run bench` exits 1 when a budget line fails. */
export function benchExitCode(lines: Budget[]): number {
  return lines.every((budget) => budget.pass) ? 0 : 1;
}

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function latencyRows(latency: LatencySummary): string[][] {
  return [
    ['p50', ms(latency.p50)],
    ['p99', ms(latency.p99)],
  ];
}

function problems(list: Record<string, number>): string {
  const entries = Object.entries(list);
  return entries.length ? entries.map(([what, count]) => `${what} ×${count}`).join('; ') : '—';
}

/**
 * The summary of a run; `changes` (bench/changes.md: what the profiles showed, what each change
 * gained) closes it one heading level down, so each summary says what the code it measured had.
 */
export function markdown(r: Results, changes: string): string {
  const { zairyu, baseline, conventional, ratio, versusConventional } = r.transitions;
  const runs = [zairyu, baseline, conventional];
  const cpu = (stats: ServerStats) => percent(stats.cpuMs / stats.wallMs);
  const cpuPerRequest = (run: Measured<LoadResult>) => run.server.cpuMs / run.requests;
  const generator = (run: Measured<LoadResult>) => percent(run.generatorCpuMs / (run.seconds * 1000));
  /** A row: the three servers' figures, then Zairyu ÷ each reference. */
  const row = (
    label: string,
    pick: (run: Measured<LoadResult>) => string,
    ratios: [string, string] = ['', ''],
  ) => [label, ...runs.map(pick), ...ratios];
  const s = r.settings;
  const sections = [
    `# Zairyu benchmark, ${r.name}`,
    [
      `Machine: ${r.machine.cpu}, ${r.machine.cores} cores; Node ${r.machine.node}; Redis ${r.machine.redis}; PostgreSQL ${r.machine.postgres}.`,
      `Load average when the run started: ${r.machine.loadAverage.map((value) => value.toFixed(2)).join(', ')}.` +
        (r.machine.argon2PerSecond === undefined
          ? ''
          : ` The machine's speed before the run: argon2id alone, with the service's parameters, ${r.machine.argon2PerSecond.toFixed(1)} hashes/s on one thread (what bounds the logins line).`),
      '',
      `Each load run: ${s.seconds} s; the transitions runs of the service and of the two references ${s.transitionSeconds} s each after a ` +
        `${s.warmupSeconds} s warm-up each, in ${s.rounds} rounds of ${(s.transitionSeconds / s.rounds).toFixed(0)} s taking turns ` +
        "(Z B C, B C Z, C Z B, …), so that the shared machine's drifts fall on all alike. The service runs as " +
        `\`start(env)\` with NODE_ENV=${s.service.NODE_ENV}, LOG_LEVEL=${s.service.LOG_LEVEL} and ` +
        `RATE_LIMIT_PER_MINUTE=${s.service.RATE_LIMIT_PER_MINUTE} (the load of many users comes from one address); ` +
        'the references are the bare baseline (bench/baseline.ts: the same cookie, Redis record, templates, no ' +
        'machine) and the conventional stack (bench/conventional.ts: Fastify, @fastify/session and connect-redis ' +
        "over ioredis, the manual's rules for these pages as route handlers, the same templates); each server in " +
        `processes of its own (${s.processes} of each, the connections spread over them)` +
        (s.nodeFlags?.length
          ? `, each with the Node flags of \`npm start\` (${s.nodeFlags.map((flag) => `\`${flag}\``).join(' ')}). `
          : '. ') +
        'The load (autocannon) ' +
        'comes from the runner process, on the same machine, as do Redis, PostgreSQL and the SMTP server. Latency ' +
        'is measured from writing a request to reading its whole answer.',
    ].join('\n'),
    '## Budget',
    table(
      ['', 'budget', 'measured', ''],
      r.budgets.map((budget) => [budget.name, budget.limit, budget.measured, budget.pass ? 'PASS' : 'FAIL']),
    ),
    `## Transitions: menu → user information → menu, ${zairyu.connections} connections`,
    'Each round trip is POST GO_USER_INFO (303), GET /user-info, POST BACK (303), GET /menu, with the step token read ' +
      'from each page. Every connection sends its next request as soon as the last is answered, so mean latency is ' +
      `about ${zairyu.connections} ÷ throughput.`,
    table(
      ['', 'Zairyu', 'baseline', 'conventional', 'Zairyu ÷ baseline', 'Zairyu ÷ conventional'],
      [
        row('requests/s', (run) => int(run.requestsPerSecond), [
          times(ratio.throughput),
          times(versusConventional.throughput),
        ]),
        row('p50', (run) => ms(run.latency.p50), [times(ratio.p50), times(versusConventional.p50)]),
        row('p99', (run) => ms(run.latency.p99), [times(ratio.p99), times(versusConventional.p99)]),
        row('max', (run) => ms(run.latency.max)),
        row('wrong answers', (run) => int(run.errors)),
        row('server CPU (100 % = one core)', (run) => cpu(run.server)),
        row('server CPU per request', (run) => `${cpuPerRequest(run).toFixed(2)} ms`, [
          times(cpuPerRequest(zairyu) / cpuPerRequest(baseline)),
          times(cpuPerRequest(zairyu) / cpuPerRequest(conventional)),
        ]),
        row('load generator CPU', generator),
        row('event-loop delay p99', (run) => ms(run.server.eventLoop.p99)),
      ],
    ),
    table(
      ['by request', 'p50 (Z / B / C)', 'p99 (Z / B / C)', 'body bytes (Z / B / C)'],
      Object.keys(zairyu.bySteps).map((step) => {
        const each = (pick: (run: Measured<LoadResult>) => string) => runs.map(pick).join(' / ');
        const latency = (run: Measured<LoadResult>) => run.bySteps[step];
        return [
          step,
          each((run) => (latency(run) ? ms((latency(run) as LatencySummary).p50) : '')),
          each((run) => (latency(run) ? ms((latency(run) as LatencySummary).p99) : '')),
          each((run) => int(run.bodyBytes[step] ?? 0)),
        ];
      }),
    ),
    `Wrong answers: Zairyu ${problems(zairyu.problems)}; baseline ${problems(baseline.problems)}; ` +
      `conventional ${problems(conventional.problems)}.`,
    `## Logins, ${r.logins.connections} connections`,
    'Each journey is a new visitor: POST GO_LOGIN from the homepage, GET /login, POST LOGIN (argon2id, m=19456 KiB, t=2, p=1), GET /menu.',
    table(
      ['', ''],
      [
        ['logins/s', r.logins.loginsPerSecond.toFixed(1)],
        [`logins/s per core (${r.machine.cores} cores)`, r.logins.perCore.toFixed(1)],
        ...latencyRows(r.logins.login).map(([name, value]) => [`login POST ${name}`, value as string]),
        ['wrong answers', `${int(r.logins.errors)} (${problems(r.logins.problems)})`],
        ['server CPU (100 % = one core)', cpu(r.logins.server)],
        ['event-loop delay p99', ms(r.logins.server.eventLoop.p99)],
      ],
    ),
    '## Transitions during a login storm',
    `The transitions load (${r.mixed.transitions.connections} connections) and the logins load (${r.mixed.logins.connections} connections) at once.`,
    table(
      ['', 'transitions alone', 'with the login storm', 'ratio'],
      [
        [
          'requests/s',
          int(zairyu.requestsPerSecond),
          int(r.mixed.transitions.requestsPerSecond),
          times(r.mixed.transitions.requestsPerSecond / zairyu.requestsPerSecond),
        ],
        [
          'p50',
          ms(zairyu.latency.p50),
          ms(r.mixed.transitions.latency.p50),
          times(r.mixed.transitions.latency.p50 / zairyu.latency.p50),
        ],
        ['p99', ms(zairyu.latency.p99), ms(r.mixed.transitions.latency.p99), times(r.mixed.p99Ratio)],
        ['event-loop delay p99', ms(zairyu.server.eventLoop.p99), ms(r.mixed.server.eventLoop.p99), ''],
        ['logins/s', '', r.mixed.logins.loginsPerSecond.toFixed(1), ''],
        ['wrong answers', int(zairyu.errors), int(r.mixed.transitions.errors + r.mixed.logins.errors), ''],
      ],
    ),
    '## Mail',
    `${int(r.settings.mails)} notifications enqueued at ${r.mail.rate}/s, each with enqueueMail in its own committed ` +
      "transaction, sent by the service's worker to a local SMTP server.",
    table(
      ['', ''],
      [
        ['enqueued', int(r.mail.enqueued)],
        ['accepted by SMTP', int(r.mail.accepted)],
        ['lost', int(r.mail.lost)],
        ['sent twice', int(r.mail.duplicates)],
        ['enqueue → accepted p50', ms(r.mail.latency.p50)],
        ['enqueue → accepted p95', ms(r.mail.latency.p95)],
        ['enqueue → accepted max', ms(r.mail.latency.max)],
        ['accepted per second, first to last', r.mail.acceptedPerSecond.toFixed(0)],
      ],
    ),
    '## Memory',
    `${int(r.memory.visitors.created)} visitor sessions created by GET / then POST GO_LOGIN (a session on the login page), ` +
      `in ${r.memory.visitors.seconds.toFixed(1)} s; \`MEMORY USAGE\` of every session key of the run:`,
    table(
      ['session keys', 'keys', 'bytes per key', 'largest', 'value length'],
      (Object.entries(r.memory.keys) as [SessionKind, KeyGroup][]).map(([kind, group]) => [
        kind,
        int(group.keys),
        int(group.bytes),
        int(group.maxBytes),
        group.valueBytes ? int(group.valueBytes) : '',
      ]),
    ),
    `Redis used_memory grew by ${int(r.memory.usedMemoryPerSession)} B per visitor session (other clients of the same Redis count too).`,
    table(
      ['service RSS', ''],
      [
        ['at rest after start', megabytes(r.memory.rss.idle)],
        ['after the transitions', megabytes(r.memory.rss.afterTransitions)],
        ['after the logins', megabytes(r.memory.rss.afterLogins)],
        ['after the mail', megabytes(r.memory.rss.afterMail)],
        [`after ${int(r.memory.visitors.created)} sessions`, megabytes(r.memory.rss.afterSessions)],
        ['peak', megabytes(r.memory.rss.max)],
        ['JavaScript heap in use at the end', megabytes(r.memory.heapUsed)],
      ],
    ),
    changes.trim().replace(/^# /, '## '),
  ];
  return `${sections.join('\n\n')}\n`;
}

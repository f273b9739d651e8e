/**
 * The environment contract (README, "Run against real servers"): one schema that validates the
 * environment and yields the type used by the app, the migration runner, the worker and the tests.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url().optional())
  .optional();

const hostPort = z
  .string()
  .regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port')
  .transform((text) => {
    const at = text.lastIndexOf(':');
    return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
  });

/** `host:port,host:port` → [{ host, port }]; empty = not set. */
const hostPorts = z
  .string()
  .trim()
  .transform((text) => (text === '' ? undefined : text.split(',').map((part) => part.trim())))
  .pipe(z.array(hostPort).min(1).optional())
  .optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `10.0.0.5`, `10.0.0.0/8`, `2001:db8::/32`: an address, or a range in CIDR notation. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies in front of the service are trusted to say who the client is (X-Forwarded-For):
 * a hop count (`1`: the load balancer in front), or the proxies' addresses and ranges; none when
 * unset (the peer of the connection is the client).
 */
const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx): number | string[] | undefined => {
    if (!value || value === '0') return undefined;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isAddressOrRange)) return entries;
    ctx.addIssue({
      code: 'custom',
      message: 'TRUST_PROXY must be a hop count or a comma-separated list of addresses and CIDR ranges',
    });
    return z.NEVER;
  });

/** Every setting, each validated on its own; `configSchema` adds the checks across them. */
export const settingsSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Outside production, listening on an address other hosts reach must be asked for. */
  ALLOW_REMOTE_DEV: z
    .enum(['', '0', '1'])
    .default('')
    .transform((value) => value === '1'),
  TRUST_PROXY: trustProxy,
  BASE_URL: optionalUrl,
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  /** Seeds of a Redis Cluster (`host:port,host:port`), instead of REDIS_URL. */
  REDIS_CLUSTER_NODES: hostPorts,
  /** Sentinels of a Sentinel-managed primary (`host:port,…`), with REDIS_SENTINEL_NAME, instead of REDIS_URL. */
  REDIS_SENTINELS: hostPorts,
  REDIS_SENTINEL_NAME: z.string().trim().min(1).optional(),
  /** Credentials of the cluster's or the Sentinel group's Redis servers (REDIS_URL carries its own). */
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** Prefix of every Redis key, so several deployments or test runs can share one Redis. */
  REDIS_PREFIX: z.string().default('zairyu:'),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().min(3).default('no-reply@localhost'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  /** Idle timeout, refreshed by every request (manual 1.3: at least 30 minutes). */
  SESSION_IDLE_SECONDS: positiveInt(30 * 60),
  SESSION_ABSOLUTE_HOURS: positiveInt(12),
  /** Absolute lifetime of a session nobody has signed in to: a planted one cannot wait for a login. */
  SESSION_ANONYMOUS_MINUTES: positiveInt(60),
  /** New sessions a minute per client address (a session is made by the first button pressed). */
  SESSION_CREATION_PER_MINUTE: positiveInt(60),
  /** Lifetime of the emailed password-reset link. */
  RESET_LINK_MINUTES: positiveInt(30),
  /** Lifetime of the emailed link that completes a registration. */
  REGISTRATION_LINK_HOURS: positiveInt(24),
  /**
   * Lifetime of the link in the notice to the former address after an email change: long enough
   * for an address read only now and then, short enough that a former address does not keep a
   * way into the account for good.
   */
  RESTORE_LINK_DAYS: positiveInt(7),
  LOGIN_LOCKOUT_ATTEMPTS: positiveInt(10),
  /** POSTs a minute on the login, registration and reset pages, per client address and per user ID or email. */
  RATE_LIMIT_PER_MINUTE: positiveInt(30),
  LOGIN_LOCKOUT_MINUTES: positiveInt(30),
  /** Emails a recipient gets per clock hour from registrations and reset requests (others' included). */
  MAIL_PER_RECIPIENT_PER_HOUR: positiveInt(5),
  /** libuv's thread pool, where passwords are hashed: read by Node itself, here only validated and reported. */
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).default(4),
  /** Nice value of the password-hashing threads (0–19; 0 keeps the process's priority). */
  HASH_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(15),
  /** Development only: the demo user created at start when missing. */
  DEMO_USER_ID: z
    .string()
    .regex(/^[a-z0-9]{6,20}$/)
    .default('madoguchi01'),
  DEMO_PASSWORD: z.string().min(8).default('Madoguchi#2026'),
  /**
   * Applies the migrations at start. Set false when they run apart (as the tables' owner), so the
   * processes can connect as a role that only reads and writes rows (src/db/app-role.sql).
   */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Runs the notification worker inside the web process (set false to run `npm run worker` apart). */
  RUN_WORKER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  HELPDESK_TEL: z.string().default('050-3786-3053'),
  HELPDESK_EMAIL: z.string().default('support@example.invalid'),
  /** Days the analysts' transition record is kept. */
  FLOW_RETENTION_DAYS: positiveInt(90),
  /** Bearer token for /metrics and /flow; without it only loopback clients may read them. */
  OPERATOR_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const configSchema = settingsSchema.superRefine((env, ctx) => {
  for (const issue of redisIssues(env)) ctx.addIssue({ code: 'custom', ...issue });
  if (env.NODE_ENV !== 'production') {
    if (!env.ALLOW_REMOTE_DEV && !LOOPBACK_HOST.test(env.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message: `HOST ${env.HOST} is reachable from other hosts; outside production the service listens on loopback only unless ALLOW_REMOTE_DEV=1`,
      });
    }
    return;
  }
  if (!env.REDIS_URL && !env.REDIS_CLUSTER_NODES && !env.REDIS_SENTINELS) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is required when NODE_ENV=production',
    });
  }
  for (const key of ['SESSION_SECRET', 'DATABASE_URL', 'SMTP_URL', 'BASE_URL', 'OPERATOR_TOKEN'] as const) {
    if (!env[key]) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required when NODE_ENV=production` });
    }
  }
  for (const issue of [...defaultCredentials(env), ...unsafeSettings(env)])
    ctx.addIssue({ code: 'custom', ...issue });
});

type Issue = { path: string[]; message: string };

/** One Redis deployment at a time, named completely, whose keys can spread over a cluster's slots. */
function redisIssues(env: {
  REDIS_URL?: string;
  REDIS_CLUSTER_NODES?: unknown;
  REDIS_SENTINELS?: unknown;
  REDIS_SENTINEL_NAME?: string;
  REDIS_PREFIX: string;
}): Issue[] {
  const issues: Issue[] = [];
  const chosen = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter((key) => env[key]);
  if (chosen.length > 1)
    issues.push({ path: [chosen[1] ?? ''], message: `set only one of ${chosen.join(', ')}` });
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME)
    issues.push({ path: ['REDIS_SENTINEL_NAME'], message: 'REDIS_SENTINELS needs REDIS_SENTINEL_NAME' });
  // A hash tag in the prefix would put every key of the service in one slot of the cluster.
  if (env.REDIS_CLUSTER_NODES && /[{}]/.test(env.REDIS_PREFIX))
    issues.push({ path: ['REDIS_PREFIX'], message: 'REDIS_PREFIX must not contain { or } on a cluster' });
  return issues;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/;

/** Shortest secrets production accepts. */
const minimumLength = { SESSION_SECRET: 32, OPERATOR_TOKEN: 24 } as const;
/**
 * Fewest bits a character a secret's characters carry on average, counted by their frequencies
 * (Shannon): random hex carries about 3.4, base64 about 4.5, 'a' × 32 none.
 */
const minimumBitsPerChar = 2;

/** Estimated bits of `value` by the frequency of its characters: 'a' × 32 carries none. */
function characterBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= count * Math.log2(count / value.length);
  return bits;
}

/** Why `value` is too weak a secret, or undefined: short, one pattern repeated, or few bits. */
export function secretWeakness(value: string, minLength: number): string | undefined {
  if (value.length < minLength) return `is shorter than ${minLength} characters`;
  if (/^(.+)\1+$/s.test(value)) return 'repeats one pattern';
  if (characterBits(value) < minimumBitsPerChar * value.length) return 'has too few different characters';
  return undefined;
}

/**
 * Settings production refuses although they parse: an `http:` BASE_URL (no Secure or `__Host-`
 * cookies, no HSTS) unless the host is this machine, and guessable secrets.
 */
function unsafeSettings(env: {
  BASE_URL?: string;
  SESSION_SECRET?: string;
  OPERATOR_TOKEN?: string;
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const base = env.BASE_URL ? new URL(env.BASE_URL) : undefined;
  if (base && base.protocol !== 'https:' && !LOOPBACK_HOST.test(base.hostname)) {
    issues.push({
      path: ['BASE_URL'],
      message: 'BASE_URL must be https: in production (cookies are Secure and HSTS is sent only over https)',
    });
  }
  for (const key of ['SESSION_SECRET', 'OPERATOR_TOKEN'] as const) {
    const weakness = env[key] && secretWeakness(env[key], minimumLength[key]);
    if (weakness) {
      issues.push({
        path: [key],
        message: `${key} ${weakness}: use a random value, e.g. \`openssl rand -base64 32\``,
      });
    }
  }
  return issues;
}

/**
 * Service credentials production refuses (ASVS v5.0.0-13.2.2, 13.2.3): PostgreSQL as the `postgres`
 * superuser or without a password (a client certificate, `sslcert=`, stands in for one), and a
 * Redis without credentials unless it is on this host, where only local processes reach it (and
 * Redis's protected mode refuses others). Sessions and the users table are what they guard.
 */
export function defaultCredentials(env: {
  DATABASE_URL?: string;
  REDIS_URL?: string;
  REDIS_CLUSTER_NODES?: { host: string }[];
  REDIS_SENTINELS?: { host: string }[];
  REDIS_PASSWORD?: string;
}): Issue[] {
  const issues: Issue[] = [];
  const database = env.DATABASE_URL ? new URL(env.DATABASE_URL) : undefined;
  if (database && (database.username === '' || database.username === 'postgres')) {
    issues.push({
      path: ['DATABASE_URL'],
      message:
        "DATABASE_URL must name a role of the service's own, not the postgres superuser (src/db/app-role.sql)",
    });
  } else if (database && database.password === '' && !database.searchParams.has('sslcert')) {
    issues.push({ path: ['DATABASE_URL'], message: 'DATABASE_URL needs a password or a client certificate' });
  }
  const redis = env.REDIS_URL ? new URL(env.REDIS_URL) : undefined;
  if (redis && redis.password === '' && !LOOPBACK_HOST.test(redis.hostname)) {
    issues.push({
      path: ['REDIS_URL'],
      message: 'REDIS_URL needs a password (or ACL user) for a Redis on another host',
    });
  }
  for (const key of ['REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const) {
    if (!env.REDIS_PASSWORD && env[key]?.some((node) => !LOOPBACK_HOST.test(node.host)))
      issues.push({ path: ['REDIS_PASSWORD'], message: `${key} on another host needs REDIS_PASSWORD` });
  }
  return issues;
}

export type Config = z.output<typeof configSchema>;

/** Parses the environment; throws one readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The absolute origin used in emailed links. */
export function baseUrl(config: Config): string {
  return (config.BASE_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, '');
}

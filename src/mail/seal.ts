/**
 * Job payloads at rest. A queued job waits in PostgreSQL (pg-boss's tables, and every backup of
 * them) for a moment, or through retries and the dead-letter queue for days; what it carries is an
 * emailed link that sets a password, a registration's personal data, an address. So it is sealed
 * with AES-256-GCM under a key derived from SESSION_SECRET: a reader of the database or of a backup
 * learns none of it and cannot forge a job. The worker opens it with the same key, so web and worker
 * processes share SESSION_SECRET (the web process generates one per start in development: a job
 * queued before a restart then cannot be opened and is dead-lettered).
 *
 * The queue name is authenticated with the payload, so a sealed payload moved to another queue
 * does not open there.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface JobSeal {
  seal(queue: string, value: unknown): string;
  /** The sealed value; throws `SealError` for anything not sealed by this key for this queue. */
  open(queue: string, sealed: unknown): unknown;
}

export class SealError extends Error {
  override name = 'SealError';
}

const VERSION = 'v1';

export function jobSeal(secret: string): JobSeal {
  const key = Buffer.from(hkdfSync('sha256', secret, 'zairyu', 'job payload sealing v1', 32));
  return {
    seal(queue, value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(queue));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return [VERSION, iv, body, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(queue, sealed) {
      const [version, iv, body, tag, ...rest] = typeof sealed === 'string' ? sealed.split('.') : [];
      if (version !== VERSION || !iv || !body || !tag || rest.length > 0) {
        throw new SealError('not a sealed job payload');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
          authTagLength: 16,
        })
          .setAAD(Buffer.from(queue))
          .setAuthTag(Buffer.from(tag, 'base64url'));
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
        return JSON.parse(text.toString('utf8'));
      } catch {
        throw new SealError('the job payload does not open with this key (another SESSION_SECRET?)');
      }
    },
  };
}

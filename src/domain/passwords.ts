/**
 * Password hashing: argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1). The argon2 binding
 * hashes on libuv's thread pool, so the event loop keeps serving other requests meanwhile.
 */
import argon2 from 'argon2';

const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let inFlight = 0;

/** Hashes and verifications running or queued on the thread pool (for the saturation metric). */
export function argon2InFlight(): number {
  return inFlight;
}

async function counted<T>(work: () => Promise<T>): Promise<T> {
  inFlight += 1;
  try {
    return await work();
  } finally {
    inFlight -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return counted(() => argon2.hash(password, options));
}

/** A hash of nothing anyone knows: verified for unknown user IDs so they cost the same time. */
const dummyHash = hashPassword(`no-such-user-${Math.random()}`);

/** Verifies against the stored hash, or against a dummy when there is none (no timing oracle). */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  const against = hash ?? (await dummyHash);
  const matches = await counted(() => argon2.verify(against, password)).catch(() => false);
  return matches && hash != null;
}

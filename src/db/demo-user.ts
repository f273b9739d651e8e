/**
 * Development only: the demo user of the manual's screenshots ("TEST MADOGUCHI"), created when
 * missing, its password kept equal to DEMO_PASSWORD, so the start line can say how to log in.
 */
import type pg from 'pg';
import type { Config } from '../config.ts';
import { hashPassword, verifyPassword } from '../domain/passwords.ts';
import { findUserByUserId, insertUser, setPasswordHash } from './users.ts';

/** The person of the manual's screenshots (2.4.2): also the profile of the tests' users. */
export const demoProfile = {
  name: 'TEST MADOGUCHI',
  sex: 'male',
  birth_date: '2000-01-01',
  municipality_code: '01101',
  street: '１－１－１霞ヶ関ハイツ２０２号',
  phone: '123456789012',
  lang: 'ja',
} as const;

export async function ensureDemoUser(
  pool: pg.Pool,
  config: Config,
): Promise<{ userId: string; password: string }> {
  const userId = config.DEMO_USER_ID;
  const password = config.DEMO_PASSWORD;
  const existing = await findUserByUserId(pool, userId);
  if (!existing) {
    await insertUser(pool, {
      ...demoProfile,
      user_id: userId,
      email: 'user01@example.com',
      password_hash: await hashPassword(password),
    });
  } else if (!(await verifyPassword(existing.password_hash, password))) {
    await setPasswordHash(pool, existing.id, await hashPassword(password));
  }
  return { userId, password };
}

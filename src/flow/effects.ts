/**
 * The side effects the session machine names, implemented on PostgreSQL, the mail queue and the
 * session store. Each change and the email that reports it commit in one transaction.
 */

import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { fromPromise, type PromiseActorLogic } from 'xstate';
import {
  type EffectInput,
  type EffectName,
  type EffectRequest,
  type Outcome,
  type SessionMachine,
  sessionMachine,
} from '../../machines/session.ts';
import { baseUrl, type Config } from '../config.ts';
import {
  type LockoutLimits,
  type Release,
  type Reservation,
  releaseFailedAttempt,
  releaseVerifiedAttempt,
  reserveAttempt,
} from '../db/attempts.ts';
import { recordAudit } from '../db/audit.ts';
import { inTransaction, type Queryable } from '../db/pool.ts';
import {
  consumeToken,
  findLivePasswordLink,
  findLiveRestoreLink,
  findLiveToken,
  issueRestoreLink,
  voidLaterRestoreLinks,
  voidPasswordLinks,
} from '../db/tokens.ts';
import {
  bumpCredentialEpoch,
  emailTakenByOther,
  findUserById,
  findUserByUserId,
  setPasswordHash,
  type UserInfoChange,
  type UserProfile,
  type UserRow,
  updateUserInfo,
} from '../db/users.ts';
import { hashPassword, verifyPassword } from '../domain/passwords.ts';
import { enqueueAccountRequest } from '../mail/account-requests.ts';
import { type MailJob, maskAddress } from '../mail/jobs.ts';
import { enqueueMail } from '../mail/producer.ts';
import type { JobSeal } from '../mail/seal.ts';
import type { SessionStore } from '../store/types.ts';
import { emailedLinkUrl, indexPages } from './pages.ts';

export interface EffectDeps {
  config: Config;
  pool: pg.Pool;
  boss: PgBoss;
  /** Seals what the queued jobs carry (see mail/seal.ts). */
  seal: JobSeal;
  store: SessionStore;
}

/** An effect's input as the engine gives it: always with the request it runs for. */
type Requested = EffectInput & { request: EffectRequest };

/** What src/ provides for every side effect the machine names. */
export type Effects = Record<EffectName, (input: Requested) => Promise<Outcome>>;

/** A side effect as a promise actor; the request is checked once here, not in every effect. */
function actor(run: (input: Requested) => Promise<Outcome>): PromiseActorLogic<Outcome, EffectInput> {
  return fromPromise<Outcome, EffectInput>(({ input }) => {
    const { request } = input;
    if (!request) throw new Error('a side effect ran without its request');
    return run({ ...input, request });
  });
}

/**
 * The machine with its side effects supplied. Typed both ways: an effect the machine names that is
 * not here, or one here the machine does not name, fails the type check.
 */
export function provideEffects(machine: SessionMachine, effects: Effects): SessionMachine {
  return machine.provide({
    actors: {
      authenticate: actor(effects.authenticate),
      registerUser: actor(effects.registerUser),
      updateUserInfo: actor(effects.updateUserInfo),
      changePassword: actor(effects.changePassword),
      requestPasswordReset: actor(effects.requestPasswordReset),
      verifyLink: actor(effects.verifyLink),
      setPassword: actor(effects.setPassword),
      checkRestoreLink: actor(effects.checkRestoreLink),
      restoreEmail: actor(effects.restoreEmail),
    } satisfies Record<EffectName, unknown>,
  });
}

const failure = (...codes: string[]): Outcome => ({ ok: false, errors: codes.map((code) => ({ code })) });
/** A refusal that belongs to one field of the page: the field is marked with "!" (manual 1.4 item 4). */
const fieldFailure = (field: string, code: string): Outcome => ({ ok: false, errors: [{ code, field }] });
const loginFailed = failure('WZBAM002E');
const linkInvalid = failure('WZBAM310E');
/** Too many wrong passwords: the account is locked, and the signed-in session that guessed ends. */
const accountLocked: Outcome = { ok: false, errors: [{ code: 'WZBAM340E' }], accountLocked: true };
/** The restore link was used, expired, voided by a later restore, or never issued. */
const restoreLinkInvalid = failure('WZBAM345E');
/** The address the restore link puts back belongs to another account now (one address, one account). */
const restoreAddressTaken = failure('WZBAM346E');
/**
 * One address, one account. Saying so tells a signed-in user that the address is registered: an
 * identified, audited and rate-limited user, while registration and reset (open to anyone) never
 * tell. Accepting the change and leaving the address as it was would tell the same on the User
 * Information page, only later.
 */
const emailTaken: Outcome = { ok: false, errors: [{ code: 'WZBAM351E', field: 'email' }] };

function nowText(): string {
  return new Date().toISOString();
}

/** The pages, for the URL of the restore link (the page whose `meta` names its entry event). */
const pages = indexPages(sessionMachine);

export function createEffects(deps: EffectDeps) {
  const { config, pool, boss, seal, store } = deps;
  const mail = (db: Queryable, job: MailJob) => enqueueMail(boss, seal, db, job);

  const limits: LockoutLimits = {
    attempts: config.LOGIN_LOCKOUT_ATTEMPTS,
    lockMinutes: config.LOGIN_LOCKOUT_MINUTES,
  };
  /** Audits the lock when this guess set it: by reaching the limit of failures, or by a burst's excess. */
  const auditLockout = async (userRef: string, ip: string, attempt: Reservation, release?: Release) => {
    const n = config.LOGIN_LOCKOUT_ATTEMPTS;
    const reason = release?.lockedNow
      ? `${n} failures`
      : attempt.lockedNow
        ? `${n} failures and guesses in flight`
        : undefined;
    if (reason)
      await recordAudit(pool, { kind: 'lockout', outcome: 'success', userRef, ip, detail: { reason } });
  };

  /**
   * The lock is decided before the password is verified (db/attempts.ts). An unknown user ID or a
   * refused guess does the same work as a wrong password: the same statements, and a verification
   * against a dummy hash, so none of the three can be told apart by the time the answer takes.
   */
  async function authenticate({ values, secrets, request: scope }: Requested): Promise<Outcome> {
    const userId = values.userId ?? '';
    const attempt = await reserveAttempt(pool, userId, limits);
    const { user, admitted } = attempt;
    const matches = await verifyPassword(admitted ? user?.password_hash : null, secrets.password ?? '');
    const audit = (outcome: 'success' | 'failure', reason?: string) =>
      recordAudit(pool, {
        kind: 'login',
        outcome,
        userRef: user?.id,
        ip: scope.ip,
        detail: reason ? { reason } : {},
      });
    if (!user || !admitted || !matches) {
      const release = await releaseFailedAttempt(pool, userId, limits, admitted && user !== undefined);
      await audit('failure', !user ? 'unknown user' : admitted ? 'wrong password' : 'locked');
      if (user) await auditLockout(user.id, scope.ip, attempt, release);
      return loginFailed;
    }
    const verified = await releaseVerifiedAttempt(pool, userId, scope.lang);
    if (verified.locked) {
      await audit('failure', 'locked meanwhile');
      return loginFailed;
    }
    await audit('success');
    return {
      ok: true,
      user: {
        id: user.id,
        userId: user.user_id,
        name: user.name,
        previousLoginAt: verified.previousLoginAt?.toISOString() ?? null,
        credentialEpoch: user.credential_epoch, // read before the password was verified
      },
    };
  }

  /**
   * Registration and the reset request only queue the request: the same work and the same answer
   * whether or not the email or user ID is known (see account-requests.ts).
   */
  async function registerUser({ values, request: scope }: Requested): Promise<Outcome> {
    await enqueueAccountRequest(boss, seal, pool, {
      kind: 'register',
      values,
      lang: scope.lang,
      ip: scope.ip,
    });
    return { ok: true, notifiedEmail: values.email ?? '' };
  }

  async function requestPasswordReset({ values, request: scope }: Requested): Promise<Outcome> {
    const request = {
      userId: values.userId ?? '',
      email: values.email ?? '',
      lang: scope.lang,
      ip: scope.ip,
    };
    await enqueueAccountRequest(boss, seal, pool, { kind: 'reset', ...request });
    return { ok: true, notifiedEmail: request.email };
  }

  async function updateInfo({ user, values, request: scope }: Requested): Promise<Outcome> {
    if (!user) return failure('WZBAM900E');
    let updated: UserProfile | undefined;
    const outcome = await inTransaction(pool, async (db): Promise<Outcome> => {
      const current = await findUserById(db, user.id, true);
      if (!current) return failure('WZBAM900E');
      if (values.email && (await emailTakenByOther(db, values.email, user.id))) {
        const detail = { reason: 'email in use' };
        await recordAudit(db, {
          kind: 'email_change',
          outcome: 'failure',
          userRef: user.id,
          ip: scope.ip,
          detail,
        });
        return emailTaken;
      }
      const change: UserInfoChange = {
        municipality_code: values.municipalityCode || undefined,
        street: values.street || undefined,
        phone: values.phone || undefined,
        email: values.email || undefined,
      };
      updated = await updateUserInfo(db, user.id, change);
      const base = { name: current.name, changedAt: nowText() };
      const lang = scope.lang;
      const fields = Object.keys(change).filter((key) => change[key as keyof UserInfoChange] !== undefined);
      const emailChanged = change.email !== undefined && change.email !== current.email;
      await recordAudit(db, {
        kind: emailChanged ? 'email_change' : 'user_info_change',
        outcome: 'success',
        userRef: user.id,
        ip: scope.ip,
        detail: { fields: fields.join(',') },
      });
      // Only an email change is notified (manual 2.4.1): the new address, and the old one for security.
      if (!emailChanged || !change.email) return { ok: true, notifiedEmail: null };
      const newEmail = change.email;
      // A reset link sent to the former address must not outlive the change (a takeover otherwise
      // needs only a session); the former address gets the way back instead.
      await voidPasswordLinks(db, user.id);
      const restore = await restoreLinkData(db, current);
      await mail(db, {
        template: 'emailChangedOld',
        to: current.email,
        lang,
        data: { ...base, newEmail, ...restore },
      });
      await mail(db, {
        template: 'emailChangedNew',
        to: newEmail,
        lang,
        data: { ...base, userId: current.user_id },
      });
      return { ok: true, notifiedEmail: newEmail };
    });
    // Committed: every session of the user shows the change from its next page on.
    if (updated) await store.cacheProfile(updated);
    return outcome;
  }

  /**
   * The current password is a guess like a login's: it reserves a place in the same lockout first.
   * When the account is locked, or this failure locks it, the session ends (accountLocked).
   */
  async function changePassword({ user, secrets, request: scope }: Requested): Promise<Outcome> {
    if (!user) return failure('WZBAM900E');
    const attempt = await reserveAttempt(pool, user.userId, limits);
    const current = attempt.user;
    if (!current) return failure('WZBAM900E');
    const audit = (reason: string) =>
      recordAudit(pool, {
        kind: 'password_change',
        outcome: 'failure',
        userRef: user.id,
        ip: scope.ip,
        detail: { reason },
      });
    if (!attempt.admitted) {
      await audit('locked');
      await auditLockout(user.id, scope.ip, attempt);
      return accountLocked;
    }
    if (!(await verifyPassword(current.password_hash, secrets.currentPassword ?? ''))) {
      const release = await releaseFailedAttempt(pool, user.userId, limits, true);
      await audit('wrong current password');
      await auditLockout(user.id, scope.ip, attempt, release);
      return release.locked ? accountLocked : fieldFailure('currentPassword', 'WZBAM025E');
    }
    if ((await releaseVerifiedAttempt(pool, user.userId, null)).locked) {
      await audit('locked meanwhile');
      return accountLocked;
    }
    const newPassword = secrets.newPassword ?? '';
    if (await verifyPassword(current.password_hash, newPassword))
      return fieldFailure('newPassword', 'WZBAM024E');
    const hash = await hashPassword(newPassword);
    const credentialEpoch = await inTransaction(pool, async (db) => {
      await setPasswordHash(db, user.id, hash);
      await voidPasswordLinks(db, user.id);
      await recordAudit(db, { kind: 'password_change', outcome: 'success', userRef: user.id, ip: scope.ip });
      await mail(db, {
        template: 'passwordChanged',
        to: current.email,
        lang: scope.lang,
        data: { name: current.name, changedAt: nowText() },
      });
      return bumpCredentialEpoch(db, user.id);
    });
    await store.destroyUserSessions(user.id, scope.sessionId ?? undefined);
    return { ok: true, notifiedEmail: current.email, user: { ...user, credentialEpoch } };
  }

  async function verifyLink({ token }: Requested): Promise<Outcome> {
    const row = token ? await findLivePasswordLink(pool, token) : undefined;
    const user = row && (await findUserById(pool, row.user_ref));
    if (!row || !user) return linkInvalid;
    return { ok: true, link: { tokenId: row.id, userId: user.user_id, purpose: row.purpose } };
  }

  async function setPassword({ link, secrets, request: scope }: Requested): Promise<Outcome> {
    if (!link) return linkInvalid;
    const hash = await hashPassword(secrets.password ?? '');
    const outcome = await inTransaction(pool, async (db): Promise<Outcome & { userRef?: string }> => {
      const user = await findUserByUserId(db, link.userId);
      if (!user || !(await consumeToken(db, link.tokenId))) return linkInvalid;
      await setPasswordHash(db, user.id, hash);
      await voidPasswordLinks(db, user.id);
      await bumpCredentialEpoch(db, user.id);
      const detail = { purpose: link.purpose };
      await recordAudit(db, {
        kind: 'password_set',
        outcome: 'success',
        userRef: user.id,
        ip: scope.ip,
        detail,
      });
      await mail(db, {
        template: 'passwordRegistered',
        to: user.email,
        lang: scope.lang,
        data: { name: user.name, userId: user.user_id, changedAt: nowText(), link: `${baseUrl(config)}/` },
      });
      return { ok: true, notifiedEmail: user.email, userRef: user.id };
    });
    if (outcome.ok && outcome.userRef) await store.destroyUserSessions(outcome.userRef);
    return outcome.ok ? { ok: true, notifiedEmail: outcome.notifiedEmail } : outcome;
  }

  /** The restore link for the notice to the former address, and how long it lives. */
  async function restoreLinkData(db: Queryable, current: UserRow): Promise<Record<string, string>> {
    const days = config.RESTORE_LINK_DAYS;
    const token = await issueRestoreLink(db, current.id, current.email, days * 24 * 60);
    return {
      link: emailedLinkUrl(pages, 'OPEN_RESTORE_LINK', token, baseUrl(config)),
      expiresAt: new Date(Date.now() + days * 86_400_000).toISOString(),
      validDays: String(days),
    };
  }

  /**
   * The restore link opened: checked, not used, for mail scanners open links in advance. The
   * confirmation page shows the address it puts back masked, as the notice masks the new one: the
   * link may reach others than the owner (a forwarded mail, a scanner's log of URLs), and the owner
   * knows the address from its first letter and its domain.
   */
  async function checkRestoreLink({ token }: Requested): Promise<Outcome> {
    const row = token ? await findLiveToken(pool, token, ['restore-email']) : undefined;
    const user = row && (await findUserById(pool, row.user_ref));
    if (!row?.restore_email || !user) return restoreLinkInvalid;
    return { ok: true, restoreLink: { tokenId: row.id, shownEmail: maskAddress(row.restore_email) } };
  }

  /**
   * The restore link confirmed with its page's button: the former address back, every password
   * link and later restore link void, every session of the user ended (credential epoch), both
   * addresses told. When another account has the address now, the address stays and the link stays
   * usable (the help desk can sort it out); the sessions still end and the reset links are still
   * void, for whoever pressed the button did not expect the change.
   */
  async function restoreEmail({ restoreLink, request: scope }: Requested): Promise<Outcome> {
    let ended: string | undefined;
    let restored: UserProfile | undefined;
    const outcome = await inTransaction(pool, async (db): Promise<Outcome> => {
      const row = restoreLink ? await findLiveRestoreLink(db, restoreLink.tokenId) : undefined;
      const user = row && (await findUserById(db, row.user_ref, true));
      if (!row?.restore_email || !user) return restoreLinkInvalid;
      const audit = (outcome: 'success' | 'failure', detail = {}) =>
        recordAudit(db, { kind: 'email_restore', outcome, userRef: user.id, ip: scope.ip, detail });
      await voidPasswordLinks(db, user.id);
      await bumpCredentialEpoch(db, user.id);
      ended = user.id;
      if (await emailTakenByOther(db, row.restore_email, user.id)) {
        await audit('failure', { reason: 'email in use' });
        return restoreAddressTaken;
      }
      if (!(await consumeToken(db, row.id))) return restoreLinkInvalid;
      restored = await putBack(db, user, { tokenId: row.id, email: row.restore_email }, scope.lang);
      await audit('success');
      return { ok: true, notifiedEmail: row.restore_email };
    });
    if (ended) await store.destroyUserSessions(ended);
    if (restored) await store.cacheProfile(restored);
    return outcome;
  }

  /** Writes the former address back and tells both addresses. */
  async function putBack(
    db: Queryable,
    user: UserRow,
    former: { tokenId: string; email: string },
    lang: EffectRequest['lang'],
  ): Promise<UserProfile | undefined> {
    const profile = await updateUserInfo(db, user.id, { email: former.email });
    await voidLaterRestoreLinks(db, user.id, former.tokenId);
    const data = { name: user.name, restoredEmail: former.email, changedAt: nowText() };
    for (const to of new Set([former.email, user.email]))
      await mail(db, { template: 'emailRestored', to, lang, data });
    return profile;
  }

  return {
    authenticate,
    registerUser,
    updateUserInfo: updateInfo,
    changePassword,
    requestPasswordReset,
    verifyLink,
    setPassword,
    checkRestoreLink,
    restoreEmail,
  } satisfies Effects;
}

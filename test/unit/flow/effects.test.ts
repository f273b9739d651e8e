/**
 * Every side effect the machine invokes is one of the names src/ must provide, and the provided
 * machine runs the implementation given for each, with the request it runs for in its input.
 * (That a missing or misnamed effect fails the type check is shown by effects-types.ts beside this.)
 */

import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import {
  type EffectName,
  effectNames,
  type SessionEvent,
  sessionMachine,
} from '../../../machines/session.ts';
import { type Effects, provideEffects } from '../../../src/flow/effects.ts';

/** The `src` of every invoke in the machine. */
function invoked(): Set<string> {
  const found = new Set<string>();
  const visit = (node: typeof sessionMachine.root) => {
    for (const invoke of node.invoke) found.add(String(invoke.src));
    for (const child of Object.values(node.states)) visit(child as typeof sessionMachine.root);
  };
  visit(sessionMachine.root);
  return found;
}

/** One implementation per effect name, made by `make`. */
function everyEffect(make: (name: EffectName) => Effects[EffectName]): Effects {
  return {
    authenticate: make('authenticate'),
    registerUser: make('registerUser'),
    updateUserInfo: make('updateUserInfo'),
    changePassword: make('changePassword'),
    requestPasswordReset: make('requestPasswordReset'),
    verifyLink: make('verifyLink'),
    setPassword: make('setPassword'),
    checkRestoreLink: make('checkRestoreLink'),
    restoreEmail: make('restoreEmail'),
  };
}

describe('provided effects', () => {
  it('the machine invokes exactly the effects src/ must provide', () => {
    expect([...invoked()].sort()).toEqual([...effectNames].sort());
  });

  it('runs the implementation given under the name the machine invokes, with the request in its input', async () => {
    const calls: { name: EffectName; ip: string; lang: string; sessionId: string | null }[] = [];
    const effects = everyEffect((name) => async ({ request }) => {
      calls.push({ name, ...request });
      return { ok: false, errors: [{ code: 'WZBAM002E' }] };
    });
    const actor = createActor(provideEffects(sessionMachine, effects)).start();
    actor.send({ type: 'GO_LOGIN' });
    const request = { sessionId: 's1', lang: 'en' as const, ip: '192.0.2.7' };
    const login: SessionEvent = {
      type: 'LOGIN',
      values: { userId: 'abcdef' },
      secrets: { password: 'x' },
      request,
    };
    actor.send(login);
    const settled = await waitFor(actor, (s) => !s.hasTag('busy'));
    actor.stop();
    expect(calls).toEqual([{ name: 'authenticate', ...request }]);
    expect(settled.value).toBe('login');
    expect(settled.context.form.errors).toEqual([{ code: 'WZBAM002E' }]);
  });

  it('fails the effect (the coded system error on the page) when it is started without its request', async () => {
    const effects = everyEffect(() => async () => ({ ok: true }));
    const actor = createActor(provideEffects(sessionMachine, effects)).start();
    actor.send({ type: 'GO_LOGIN' });
    actor.send({ type: 'LOGIN', values: {}, secrets: { password: '' } });
    const settled = await waitFor(actor, (s) => !s.hasTag('busy'));
    actor.stop();
    expect(settled.value).toBe('login');
    expect(settled.context.form.errors).toEqual([{ code: 'WZBAM900E' }]);
  });
});

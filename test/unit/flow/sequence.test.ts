/**
 * The sequence check on its own: a GET is in sequence only as the current render of the current
 * page; a POST only with the page's step token, from the page's URL, naming an action a page may
 * post that the state takes; the step consumed last is a repeat.
 */
import { describe, expect, it } from 'vitest';
import { sessionMachine } from '../../../machines/session.ts';
import { indexPages, type PageState, pageOf } from '../../../src/flow/pages.ts';
import { checkPost, type Expected, isCurrentRender } from '../../../src/flow/sequence.ts';
import { newToken } from '../../../src/flow/tokens.ts';
import { initialSnapshot, pureTransitions } from '../../../src/flow/xstate-shims.ts';

const index = indexPages(sessionMachine);
const page = (path: string) => index.byPath.get(path) as PageState;
const step = newToken();
const lastStep = newToken();
const home = initialSnapshot(sessionMachine);
const login = pureTransitions(sessionMachine)(home, { type: 'GO_LOGIN' }).next;
const onLogin: Expected = { step, lastStep, page: pageOf(index, login.value), snapshot: login };

describe('isCurrentRender', () => {
  it('accepts the current page with its current render key, nothing else', () => {
    expect(isCurrentRender(page('login'), 4, page('login'), { k: '4' })).toBe(true);
    expect(isCurrentRender(page('login'), 4, page('login'), { k: '3' })).toBe(false);
    expect(isCurrentRender(page('login'), 4, page('login'), {})).toBe(false);
    expect(isCurrentRender(page('login'), 4, page('home'), { k: '4' })).toBe(false);
    expect(isCurrentRender(undefined, 4, page('login'), { k: '4' })).toBe(false);
  });
});

describe('checkPost', () => {
  it('puts in sequence an action the page posts, with its step token, to its URL', () => {
    expect(checkPost(index, onLogin, { url: '/login', action: 'LOGIN', step })).toBe('in sequence');
    expect(checkPost(index, onLogin, { url: '/login', action: 'HOME', step })).toBe('in sequence');
  });

  it('calls the step consumed last a repeat, whatever the action and URL', () => {
    expect(checkPost(index, onLogin, { url: '/login', action: 'LOGIN', step: lastStep })).toBe('repeat');
    expect(checkPost(index, onLogin, { url: '/menu', action: 'NONE', step: lastStep })).toBe('repeat');
  });

  it('puts out of sequence, for its step token, a stale, foreign, empty or absent one', () => {
    for (const posted of [newToken(), '', null])
      expect(checkPost(index, onLogin, { url: '/login', action: 'LOGIN', step: posted })).toBe('step_token');
    const noneConsumed = { ...onLogin, lastStep: null };
    expect(checkPost(index, noneConsumed, { url: '/login', action: 'LOGIN', step: null })).toBe('step_token');
  });

  it('puts out of sequence, for its action, another page’s URL, an action the state does not take, and an event only the engine sends', () => {
    expect(checkPost(index, onLogin, { url: '/', action: 'LOGIN', step })).toBe('action');
    expect(checkPost(index, onLogin, { url: '/login', action: 'GO_USER_INFO', step })).toBe('action');
    expect(checkPost(index, onLogin, { url: '/login', action: 'NO_SUCH_EVENT', step })).toBe('action');
    // the state takes these, but only the engine may send them
    for (const action of ['INVALID', 'INVALID_OPERATION', 'SESSION_EXPIRED'])
      expect(checkPost(index, onLogin, { url: '/login', action, step })).toBe('action');
  });
});

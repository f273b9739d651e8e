/**
 * How the live view and the traffic overlay find things in the committed SVG: a state path (as
 * the engine and the live feed name states) gives the element that draws it, and a move gives
 * the edges it passed along.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionMachine } from '../../machines/session.ts';
import { elementIdOfPath } from '../../src/diagram/dot.ts';
import { describeMachine } from '../../src/diagram/model.ts';
import { edgesOfMove, moveTable } from '../../src/diagram/traffic.ts';
import { outDir } from '../../visualize/generate.ts';

const model = describeMachine(sessionMachine);
const svg = readFileSync(join(outDir, `${model.id}.svg`), 'utf8');
const svgIds = new Set([...svg.matchAll(/<g id="([^"]+)" class="(?:node|cluster|edge)"/g)].map((m) => m[1]));
const table = moveTable(model);

/** The XState event type of an invoked actor's outcome, as the live feed streams it. */
function outcome(path: string, kind: 'done' | 'error'): string {
  const state = model.states.find((candidate) => candidate.path === path);
  const transition = state?.transitions.find((t) => t.trigger.kind === kind);
  if (!transition) throw new Error(`${path} has no ${kind} outcome`);
  return transition.trigger.eventType;
}

describe('state path → SVG element', () => {
  it('is the node for an atomic state, the cluster for a compound one, the anchor for the root', () => {
    expect(elementIdOfPath(model, 'signedIn.menu')).toBe('session.signedIn.menu');
    expect(elementIdOfPath(model, 'login')).toBe('session.login');
    expect(elementIdOfPath(model, 'signedIn')).toBe('cluster_session.signedIn');
    expect(elementIdOfPath(model, '')).toBe('session');
    expect(elementIdOfPath(model, 'nowhere')).toBeUndefined();
  });

  it('names an element of the committed SVG for every state', () => {
    for (const state of model.states) {
      expect(svgIds, state.path).toContain(elementIdOfPath(model, state.path));
    }
  });
});

describe('move → edges', () => {
  it('finds the edge of a microstep, declared on the state or on an ancestor', () => {
    expect(edgesOfMove(table, 'login', 'LOGIN', 'authenticating')).toEqual([
      'session.login|LOGIN|session.authenticating',
    ]);
    expect(edgesOfMove(table, 'signedIn.userInfo', 'LOGOUT', 'loggedOut')).toEqual([
      'session.signedIn|LOGOUT|session.loggedOut',
    ]);
    expect(edgesOfMove(table, 'authenticating', outcome('authenticating', 'done'), 'signedIn.menu')).toEqual([
      'session.authenticating|done: authenticate [succeeded]|session.signedIn',
    ]);
    expect(edgesOfMove(table, 'authenticating', outcome('authenticating', 'error'), 'login')).toEqual([
      'session.authenticating|error: authenticate|session.login',
    ]);
  });

  it('follows a settled move through the busy state it passed', () => {
    expect(edgesOfMove(table, 'login', 'LOGIN', 'signedIn.menu')).toEqual([
      'session.login|LOGIN|session.authenticating',
      'session.authenticating|done: authenticate [succeeded]|session.signedIn',
    ]);
    expect(edgesOfMove(table, 'home', 'OPEN_LINK', 'linkInvalid')).toEqual([
      'session.home|OPEN_LINK|session.checkingLink',
      'session.checkingLink|done: verifyLink|session.linkInvalid',
    ]);
  });

  it('places a move from an unknown state only when its edges are certain', () => {
    expect(edgesOfMove(table, 'unknown', 'SESSION_EXPIRED', 'timedOut')).toEqual([
      'session|SESSION_EXPIRED|session.timedOut',
    ]);
    expect(edgesOfMove(table, '*', 'GO_USER_INFO', 'signedIn.userInfo')).toEqual([
      'session.signedIn.menu|GO_USER_INFO|session.signedIn.userInfo',
    ]);
    // HOME leads to the homepage from several pages, each along its own edge
    expect(edgesOfMove(table, '*', 'HOME', 'home')).toBeUndefined();
    expect(edgesOfMove(table, 'login', 'HOME', 'home')).toEqual(['session.login|HOME|session.home']);
    expect(edgesOfMove(table, 'registration.confirm', 'HOME', 'home')).toEqual([
      'session.registration|HOME|session.home',
    ]);
  });

  it('names only edges that are in the committed SVG', () => {
    for (const [key, edges] of table) for (const id of edges) expect(svgIds, key).toContain(id);
  });
});

/** The analysts' live flow page and the traffic overlay drawn from the recorded moves. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionMachine } from '../../machines/session.ts';
import { toDot } from '../../src/diagram/dot.ts';
import { describeMachine } from '../../src/diagram/model.ts';
import { countTraffic, trafficOverlay } from '../../src/diagram/traffic.ts';
import { trafficSince } from '../../src/ops/flow-traffic.ts';
import { type Harness, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('GET /flow', () => {
  it('serves the diagram with its script and stylesheet files, and no inline script or style', async () => {
    const response = await harness.app.inject('/flow');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['cache-control']).toBe('no-store');
    const html = response.body;
    expect(html).toContain('<svg');
    expect(html).toContain('<g id="session.signedIn.menu" class="node">');
    expect(html).toContain('<script src="/assets/flow.js" defer></script>');
    expect(html).toContain('<link rel="stylesheet" href="/assets/flow.css">');
    expect(html).toContain('data-events="/flow/events"');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await harness.app.inject('/assets/flow.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect((await harness.app.inject('/assets/flow.css')).statusCode).toBe(200);
  });

  it('tells the script the element of each state and the edges of each move', async () => {
    const html = (await harness.app.inject('/flow')).body;
    const attribute = /data-map="([^"]*)"/.exec(html)?.[1] ?? '';
    const map = JSON.parse(attribute.replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
    expect(map.elements['signedIn.menu']).toBe('session.signedIn.menu');
    expect(map.finals.sort()).toEqual(['accountLocked', 'invalidOperation', 'loggedOut', 'timedOut']);
    expect(map.moves['*|LOGIN|authenticating']).toEqual(['session.login|LOGIN|session.authenticating']);
    expect(map.moves['login|HOME|home']).toEqual(['session.login|HOME|session.home']);
  });

  it('asks for the recorded traffic of the chosen period, and refuses a malformed one', async () => {
    const html = (await harness.app.inject('/flow?since=7d')).body;
    expect(html).toContain('data-overlay="/flow/overlay?since=7d"');
    expect(html).toContain('<option value="7d" selected>');
    expect((await harness.app.inject('/flow?since=7x')).statusCode).toBe(400);
    const overlay = await harness.app.inject('/flow/overlay?since=1h');
    expect(overlay.statusCode).toBe(200);
    expect(overlay.json()).toMatchObject({ legend: expect.stringContaining('Traffic since') });
  });

  it('is for operators only: not from another address', async () => {
    const response = await harness.app.inject({ url: '/flow', remoteAddress: '203.0.113.5' });
    expect(response.statusCode).toBe(401);
  });
});

describe('GET /flow with an operator token', () => {
  const token = 'flow-page-operator-token-0123456789';
  let guarded: Harness;
  beforeAll(async () => {
    guarded = await startHarness({ OPERATOR_TOKEN: token });
  });
  afterAll(() => guarded.close());

  it('answers 401 without the token, even from loopback, and 200 with it', async () => {
    for (const url of ['/flow', '/flow/overlay?since=1h']) {
      expect((await guarded.app.inject(url)).statusCode, url).toBe(401);
      const authorized = await guarded.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
      expect(authorized.statusCode, url).toBe(200);
    }
  });
});

describe('the traffic overlay', () => {
  // Far in the future, so no other test's moves fall in the period and none of these fall in theirs.
  const at = new Date('2199-01-01T00:00:00Z');
  const sessions = ['ovlTestSes01', 'ovlTestSes02', 'ovlTestSes03', 'ovlTestSes04', 'ovlTestSes05'];
  const moves: [session: string, from: string, event: string, to: string][] = [
    ['ovlTestSes01', 'home', 'GO_LOGIN', 'login'],
    ['ovlTestSes01', 'login', 'LOGIN', 'login'], // a wrong password
    ['ovlTestSes01', 'login', 'LOGIN', 'signedIn.menu'],
    ['ovlTestSes01', 'signedIn.menu', 'INVALID_OPERATION', 'invalidOperation'],
    ['ovlTestSes02', 'login', 'LOGIN', 'signedIn.menu'],
    ['ovlTestSes02', 'signedIn.menu', 'INVALID_OPERATION', 'invalidOperation'],
    ['ovlTestSes03', 'login', 'LOGIN', 'signedIn.menu'],
    ['ovlTestSes03', 'signedIn.menu', 'LOGOUT', 'loggedOut'],
    ['ovlTestSes04', 'unknown', 'SESSION_EXPIRED', 'timedOut'],
    ['ovlTestSes05', 'login', 'NOT_AN_EVENT', 'login'],
  ];
  beforeAll(async () => {
    for (const [session, from, event, to] of moves) {
      await harness.pool.query(
        'INSERT INTO flow_transitions (at, session, from_state, event, to_state) VALUES ($1, $2, $3, $4, $5)',
        [at, session, from, event, to],
      );
    }
  });
  afterAll(async () => {
    await harness.pool.query('DELETE FROM flow_transitions WHERE session = ANY($1)', [sessions]);
  });

  /** The DOT line of the edge with this id. */
  const edgeLine = (dot: string, id: string) =>
    dot.split('\n').find((line) => line.includes(`[id="${id.replaceAll('"', '\\"')}"`)) ?? '';

  it('carries the counts on the edges the moves passed along, and where sessions ended', async () => {
    const model = describeMachine(sessionMachine);
    const counts = countTraffic(model, await trafficSince(harness.pool, at));
    const dot = toDot(model, trafficOverlay(model, counts, at));

    expect(edgeLine(dot, 'session.home|GO_LOGIN|session.login')).toContain('label="GO_LOGIN\\n1×"');
    expect(edgeLine(dot, 'session.login|LOGIN|session.authenticating')).toContain(
      'label="LOGIN\\n/ keepValues\\n4×"',
    );
    expect(edgeLine(dot, 'session.authenticating|done: authenticate [succeeded]|session.signedIn')).toContain(
      '\\n3×"',
    );
    expect(edgeLine(dot, 'session.authenticating|done: authenticate|session.login')).toContain('\\n1×"');
    expect(edgeLine(dot, 'session|INVALID_OPERATION|session.invalidOperation')).toContain(
      'label="INVALID_OPERATION\\n2×"',
    );
    expect(edgeLine(dot, 'session.signedIn|LOGOUT|session.loggedOut')).toContain('label="LOGOUT\\n1×"');
    expect(edgeLine(dot, 'session|SESSION_EXPIRED|session.timedOut')).toContain('\\n1×"');
    // the busiest edge is the widest; an edge without traffic is drawn as before
    expect(edgeLine(dot, 'session.login|LOGIN|session.authenticating')).toContain('penwidth="5.0"');
    expect(edgeLine(dot, 'session.login|HOME|session.home')).toBe(
      '  "session.login" -> "session.home" [id="session.login|HOME|session.home", label="HOME"];',
    );

    // three moves left the menu: two sessions ended in invalid operation, one logged out
    const menu = dot.split('\n').find((line) => line.trimStart().startsWith('"session.signedIn.menu" ['));
    expect(menu).toContain('invalidOperation 2 (67%)');
    expect(menu).toContain('loggedOut 1 (33%)');
    expect(menu).toContain('color="#b03030", penwidth="2"');
    expect(dot).toContain('timedOut from an unknown state 1 (100%)');
    expect(dot).toContain('Moves not on the diagram: 1.');
    expect(counts.unmatched).toBe(1);
  });
});

/**
 * One way in (ASVS v5.0.0-6.3.4): every transition of the session machine that enters a signed-in
 * state from outside `signedIn` is `authenticating`'s successful outcome, so no new pathway into a
 * signed-in page can appear without this test saying so.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { sessionMachine } from '../../machines/session.ts';

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => allNodes(child as AnyStateNode))];
}

const inSignedIn = (node: AnyStateNode) => node.path[0] === 'signedIn';
const nameOf = (node: AnyStateNode) => node.path.join('.');

/** `from —event[guard]→ to` for every transition entering `signedIn` from outside it. */
function entriesIntoSignedIn(): string[] {
  const found: string[] = [];
  for (const node of allNodes(sessionMachine.root)) {
    if (inSignedIn(node)) continue;
    for (const [event, transitions] of node.transitions) {
      for (const transition of transitions) {
        for (const target of transition.target ?? []) {
          if (!inSignedIn(target)) continue;
          const { guard } = transition;
          const guardName = typeof guard === 'string' ? guard : guard && 'type' in guard ? guard.type : '';
          found.push(`${nameOf(node)} —${event}[${guardName}]→ ${nameOf(target)}`);
        }
      }
    }
  }
  return found;
}

describe('the way into a signed-in state', () => {
  it("is only authenticating's successful outcome", () => {
    expect(entriesIntoSignedIn()).toEqual([
      expect.stringMatching(/^authenticating —xstate\.done\.actor\.[^[]*\[succeeded\]→ signedIn$/),
    ]);
  });

  it('starts outside signedIn', () => {
    const initial = sessionMachine.root.initial?.target ?? [];
    expect(initial.length).toBe(1);
    expect(initial.some(inSignedIn)).toBe(false);
  });
});

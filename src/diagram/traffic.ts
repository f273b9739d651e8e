/**
 * Recorded and live moves laid over the diagram.
 *
 * The engine records settled, page-to-page moves (`login` —LOGIN→ `signedIn.menu`); the live feed
 * streams XState's microsteps (`login` —LOGIN→ `authenticating`, then `authenticating` —done→
 * `signedIn.menu`). Both name states by path, events by type. The move table turns either kind
 * into the edges of the drawing it passed along, so counts and flashes land on the right arrows:
 * a settled move through a busy state lights both of its edges.
 */

import { engineEvents } from '../../machines/session.ts';
import { type DotOverlay, drawnEdges, elementIdOf } from './dot.ts';
import { ancestry, chosenEndings, entryLeaf, type MachineModel, type StateModel } from './model.ts';

/** What `trafficSince` (and `GET /flow/traffic`) answers. */
export interface Traffic {
  edges: { from_state: string; event: string; to_state: string; count: number }[];
  endings: { state: string; ending: string; sessions: number }[];
}

/** `from|event|to` (state paths and an event type) → the ids of the edges the move passed along. */
export type MoveTable = Map<string, string[]>;

/** The key of a move whose source state is not known (a session first seen, `unknown`). */
export const anySource = '*';

export const moveKey = (from: string, event: string, to: string) => `${from}|${event}|${to}`;

interface Hop {
  event: string;
  kind: string;
  edge: string;
  to: StateModel;
}

/** The transitions a state takes (its own first, then its ancestors'), with the leaf each lands in. */
function hops(model: MachineModel, state: StateModel, edgeIds: Map<unknown, Map<string, string>>): Hop[] {
  return ancestry(model, state.id).flatMap((holder) =>
    holder.transitions.flatMap((transition) => {
      if (transition.trigger.kind === 'always') return [];
      const targets = transition.targets.length > 0 ? transition.targets : [holder.id];
      return targets.map((target) => ({
        event: transition.trigger.eventType,
        kind: transition.trigger.kind,
        edge: edgeIds.get(transition)?.get(target) as string,
        // A targetless transition keeps the state; a compound target is entered at its initial leaf.
        to: transition.targets.length === 0 ? state : entryLeaf(model, target),
      }));
    }),
  );
}

const isBusy = (state: StateModel) => state.tags.includes('busy');

export function moveTable(model: MachineModel): MoveTable {
  const edgeIds = new Map<unknown, Map<string, string>>();
  for (const edge of drawnEdges(model)) {
    if (!edge.transition) continue;
    const byTarget = edgeIds.get(edge.transition) ?? new Map<string, string>();
    edgeIds.set(edge.transition, byTarget.set(edge.target, edge.id));
  }
  const table: MoveTable = new Map();
  const add = (key: string, edges: string[]) => {
    if (!table.has(key)) table.set(key, edges); // the first transition that matches is the one taken
  };
  const atomic = model.states.filter((state) => state.children.length === 0 && state.kind !== 'final');
  // Microsteps: one edge each.
  for (const state of atomic) {
    for (const hop of hops(model, state, edgeIds))
      add(moveKey(state.path, hop.event, hop.to.path), [hop.edge]);
  }
  // Settled moves: an event, then the outcomes of the busy states it passes through.
  const settle = (from: StateModel, event: string, at: StateModel, edges: string[], depth: number) => {
    if (!isBusy(at)) return add(moveKey(from.path, event, at.path), edges);
    if (depth > 4) return;
    for (const hop of hops(model, at, edgeIds)) {
      if (hop.kind !== 'event') settle(from, event, hop.to, [...edges, hop.edge], depth + 1);
    }
  };
  for (const state of atomic.filter((candidate) => !isBusy(candidate))) {
    for (const hop of hops(model, state, edgeIds)) {
      if (hop.kind === 'event' && isBusy(hop.to)) settle(state, hop.event, hop.to, [hop.edge], 0);
    }
  }
  // From an unknown source: only when every source that makes the move passes the same edges.
  const bySuffix = new Map<string, Set<string>>();
  for (const [key, edges] of table) {
    const suffix = key.slice(key.indexOf('|') + 1);
    bySuffix.set(suffix, (bySuffix.get(suffix) ?? new Set()).add(JSON.stringify(edges)));
  }
  for (const [key, edges] of [...table]) {
    const suffix = key.slice(key.indexOf('|') + 1);
    if (bySuffix.get(suffix)?.size !== 1) continue;
    table.delete(key); // the unknown-source entry says the same
    table.set(`${anySource}|${suffix}`, edges);
  }
  return table;
}

/** The edges a move passed along, or undefined when it is not on the drawing. */
export function edgesOfMove(table: MoveTable, from: string, event: string, to: string): string[] | undefined {
  return table.get(moveKey(from, event, to)) ?? table.get(moveKey(anySource, event, to));
}

export interface StateTraffic {
  /** How many recorded moves left the state. */
  left: number;
  /** Sessions that ended from the state, per final state, with their share of `left`. */
  endings: { ending: string; sessions: number; share: number }[];
}

export interface TrafficCounts {
  /** Moves per edge id. */
  edges: Map<string, number>;
  /** Per state id: how sessions ended from it (the root stands for an unknown state). */
  states: Map<string, StateTraffic>;
  /** Moves that match no edge of the drawing. */
  unmatched: number;
}

/** Edge counts and, per state, where sessions ended: the data of the overlay. */
export function countTraffic(model: MachineModel, traffic: Traffic, table = moveTable(model)): TrafficCounts {
  const root = model.states[0] as StateModel;
  const byPath = new Map(model.states.map((state) => [state.path, state]));
  const edges = new Map<string, number>();
  const left = new Map<string, number>();
  let unmatched = 0;
  for (const row of traffic.edges) {
    left.set(row.from_state, (left.get(row.from_state) ?? 0) + row.count);
    const passed = edgesOfMove(table, row.from_state, row.event, row.to_state);
    if (!passed) unmatched += row.count;
    for (const id of passed ?? []) edges.set(id, (edges.get(id) ?? 0) + row.count);
  }
  const states = new Map<string, StateTraffic>();
  for (const row of traffic.endings) {
    const id = (byPath.get(row.state) ?? root).id;
    const out = left.get(row.state) ?? 0;
    const entry = states.get(id) ?? { left: out, endings: [] };
    const share = out > 0 ? Math.min(1, row.sessions / out) : 1;
    entry.endings.push({ ending: row.ending, sessions: row.sessions, share });
    states.set(id, entry);
  }
  return { edges, states, unmatched };
}

/** A state where this share of the moves out ends the session badly is drawn in red. */
export const stuckShare = 0.2;

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The counts as marks on the diagram: edge counts and widths, ending shares under the states. */
export function trafficOverlay(model: MachineModel, counts: TrafficCounts, since: Date): DotOverlay {
  // Endings a visitor chooses (logging out) are part of a normal visit; the others, which only the
  // engine's own events reach, mean a session got stuck.
  const expectedEndings = chosenEndings(model, engineEvents);
  const max = Math.max(1, ...counts.edges.values());
  const width = (count: number) => (1 + (4 * Math.log1p(count)) / Math.log1p(max)).toFixed(1);
  const edges = new Map(
    [...counts.edges].map(([id, count]) => [id, { label: `${count}×`, penwidth: width(count) }]),
  );
  const states = new Map(
    [...counts.states].map(([id, traffic]) => {
      const unknown = id === (model.states[0] as StateModel).id ? ' from an unknown state' : '';
      const lines = traffic.endings.map(
        (ending) => `${ending.ending}${unknown} ${ending.sessions} (${percent(ending.share)})`,
      );
      const stuck = traffic.endings
        .filter((ending) => !expectedEndings.has(ending.ending))
        .reduce((sum, ending) => sum + ending.share, 0);
      return [id, { lines, alert: stuck >= stuckShare }];
    }),
  );
  const unmatched = counts.unmatched > 0 ? ` Moves not on the diagram: ${counts.unmatched}.` : '';
  const legend = [
    `Traffic since ${since.toISOString()}: × moves along each edge (wider: more).`,
    `Red under a state: sessions that ended from it, as a share of the moves out of it; red border: ${percent(stuckShare)} or more ended other than by logout.${unmatched}`,
  ].join('\n');
  return { legend, edges, states };
}

/** The overlay keyed by SVG element ids, as JSON for the live page. */
export function overlayJson(model: MachineModel, overlay: DotOverlay) {
  const element = (id: string) => elementIdOf(model, model.byId.get(id) as StateModel);
  return {
    legend: overlay.legend,
    edges: Object.fromEntries(overlay.edges),
    states: Object.fromEntries([...overlay.states].map(([id, marks]) => [element(id), marks])),
  };
}

/**
 * Graphviz DOT of a machine: compound states are clusters, page states show their URL, busy
 * states (those that run a side effect) are dashed and shaded, final states double-bordered.
 * Transitions of the root apply in every state; they are drawn once, from an "every state" node.
 * A transition from or to a compound state leaves or enters its cluster (`ltail` / `lhead`).
 */
import { escapeHtml } from './html.ts';
import {
  entryLeaf,
  type MachineModel,
  type StateModel,
  type TransitionModel,
  transitionLabel,
} from './model.ts';

/** Node and cluster names in the DOT (and element ids in the SVG). */
export const dotNames = {
  cluster: (id: string) => `cluster_${id}`,
  initial: (id: string) => `initial:${id}`,
  /** The anchor for the root's own transitions is the root's id. */
  anchor: (model: MachineModel) => model.id,
  /** Where the explorer shows a state. */
  anchorHref: (id: string) => `#state-${id}`,
};

/**
 * The SVG element that draws a state: its node when atomic, its cluster when compound, the
 * "every state" anchor for the root.
 */
export function elementIdOf(model: MachineModel, state: StateModel): string {
  if (!state.parent) return dotNames.anchor(model);
  return state.children.length > 0 ? dotNames.cluster(state.id) : state.id;
}

/** The SVG element of a state path as the engine and the live feed name it (`signedIn.menu`). */
export function elementIdOfPath(model: MachineModel, path: string): string | undefined {
  const state = model.states.find((candidate) => candidate.path === path);
  return state && elementIdOf(model, state);
}

/**
 * Extra marks drawn over the diagram (the traffic overlay): a line added to the label of an
 * edge or a state, keyed by edge id and state id, with a width for edges and an alert colour
 * for states. Without an overlay the output is the plain diagram.
 */
export interface DotOverlay {
  legend: string;
  edges: Map<string, { label: string; penwidth: string }>;
  states: Map<string, { lines: string[]; alert: boolean }>;
}

const alertColor = '#b03030';

function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

function attributes(attrs: Record<string, string | undefined>): string {
  const parts = Object.entries(attrs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${value.startsWith('<') ? value : quote(value)}`);
  return `[${parts.join(', ')}]`;
}

/** A state the engine never persists: it runs a side effect and leaves on its outcome. */
export function isBusy(state: StateModel): boolean {
  return state.tags.includes('busy');
}

function overlayLines(overlay: DotOverlay | undefined, state: StateModel): string[] {
  const lines = overlay?.states.get(state.id)?.lines ?? [];
  return lines.map((line) => `<font point-size="9" color="${alertColor}">${escapeHtml(line)}</font>`);
}

function nodeLabel(state: StateModel, overlay?: DotOverlay): string {
  const lines = [`<b>${escapeHtml(state.key)}</b>`];
  const url = state.meta?.url;
  if (typeof url === 'string') lines.push(`<font point-size="9" color="#30508a">${escapeHtml(url)}</font>`);
  for (const src of state.invokes) lines.push(`<font point-size="9"><i>runs ${escapeHtml(src)}</i></font>`);
  lines.push(...overlayLines(overlay, state));
  return `<${lines.join('<br/>')}>`;
}

function alertStyle(overlay: DotOverlay | undefined, state: StateModel): Record<string, string> {
  return overlay?.states.get(state.id)?.alert ? { color: alertColor, penwidth: '2' } : {};
}

function nodeStyle(state: StateModel): Record<string, string> {
  if (isBusy(state)) return { style: 'rounded,filled,dashed', fillcolor: '#fff3cd', color: '#9a7a1c' };
  if (state.kind === 'final') return { style: 'rounded,filled', fillcolor: '#eeeeee', peripheries: '2' };
  if (state.meta?.signedIn) return { style: 'rounded,filled', fillcolor: '#e3edf9' };
  return { style: 'rounded,filled', fillcolor: '#ffffff' };
}

function edgeStyle(transition: TransitionModel, fromRoot: boolean): Record<string, string> {
  if (fromRoot) return { style: 'dashed', color: '#777777', fontcolor: '#555555' };
  if (transition.trigger.kind === 'error') return { style: 'dashed', color: '#b03030', fontcolor: '#b03030' };
  if (transition.trigger.kind === 'done') return { color: '#2f6f3f', fontcolor: '#2f6f3f' };
  return {};
}

function edgeLabel(transition: TransitionModel): string {
  const actions = transition.actions.length > 0 ? `\n/ ${transition.actions.join(', ')}` : '';
  return `${transitionLabel(transition)}${actions}`;
}

function drawState(
  model: MachineModel,
  state: StateModel,
  indent: string,
  out: string[],
  overlay?: DotOverlay,
): void {
  const children = state.children.map((id) => model.byId.get(id) as StateModel);
  if (children.length === 0) {
    const attrs = {
      id: state.id,
      label: nodeLabel(state, overlay),
      URL: dotNames.anchorHref(state.id),
      tooltip: state.path,
      ...nodeStyle(state),
      ...alertStyle(overlay, state),
    };
    out.push(`${indent}${quote(state.id)} ${attributes(attrs)};`);
    return;
  }
  out.push(`${indent}subgraph ${quote(dotNames.cluster(state.id))} {`);
  const inner = `${indent}  `;
  out.push(`${inner}id=${quote(dotNames.cluster(state.id))};`);
  out.push(`${inner}label=<<b>${escapeHtml(state.key)}</b>>;`);
  out.push(`${inner}URL=${quote(dotNames.anchorHref(state.id))};`);
  out.push(`${inner}style="rounded,dashed"; color="#8a8a8a";`);
  drawInitial(state, inner, out);
  for (const child of children) drawState(model, child, inner, out, overlay);
  out.push(`${indent}}`);
}

function drawInitial(state: StateModel, indent: string, out: string[]): void {
  if (!state.initial) return;
  const name = dotNames.initial(state.id);
  out.push(`${indent}${quote(name)} [shape=circle, style=filled, fillcolor=black, label="", width=0.15];`);
}

/** One drawn edge: its tail and head nodes, and the clusters it leaves or enters. */
function endpoints(model: MachineModel, source: string, target: string) {
  const root = model.states[0] as StateModel;
  const ends = {
    tail: source,
    head: target,
    ltail: undefined as string | undefined,
    lhead: undefined as string | undefined,
  };
  if (source === root.id) ends.tail = dotNames.anchor(model);
  else if ((model.byId.get(source) as StateModel).children.length > 0) {
    ends.tail = entryLeaf(model, source).id;
    ends.ltail = dotNames.cluster(source);
  }
  if ((model.byId.get(target) as StateModel).children.length > 0) {
    ends.head = entryLeaf(model, target).id;
    // A cluster cannot be clipped against itself or a cluster that holds the other end.
    if (!isWithin(model, ends.tail, target)) ends.lhead = dotNames.cluster(target);
  }
  if (ends.ltail && isWithin(model, ends.head, source)) ends.ltail = undefined;
  return ends;
}

function isWithin(model: MachineModel, id: string, ancestor: string): boolean {
  for (
    let state = model.byId.get(id);
    state;
    state = state.parent ? model.byId.get(state.parent) : undefined
  ) {
    if (state.id === ancestor) return true;
  }
  return false;
}

/** One edge of the drawing: an initial-state arrow or one target of a transition. */
export interface DrawnEdge {
  /** The edge's id in the DOT and the SVG. */
  id: string;
  /** The state that declares it (the compound state, for an initial arrow). */
  source: string;
  target: string;
  /** Absent for an initial arrow. */
  transition?: TransitionModel;
  ends: ReturnType<typeof endpoints>;
}

/** Every edge in drawing order, with the ids the DOT gives them. */
export function drawnEdges(model: MachineModel): DrawnEdge[] {
  const ids = new Set<string>();
  const edges: DrawnEdge[] = [];
  for (const state of model.states) {
    if (state.initial) {
      const id = uniqueId(ids, `${state.id}|initial|${state.initial}`);
      const ends = endpoints(model, state.id, state.initial);
      edges.push({ id, source: state.id, target: state.initial, ends });
    }
    for (const transition of state.transitions) {
      for (const target of transition.targets.length > 0 ? transition.targets : [state.id]) {
        const id = uniqueId(ids, `${state.id}|${transitionLabel(transition)}|${target}`);
        edges.push({ id, source: state.id, target, transition, ends: endpoints(model, state.id, target) });
      }
    }
  }
  return edges;
}

function drawEdge(model: MachineModel, edge: DrawnEdge, overlay?: DotOverlay): string {
  const { ends, transition } = edge;
  const tail = transition ? ends.tail : dotNames.initial(edge.source);
  if (!transition)
    return `  ${quote(tail)} -> ${quote(ends.head)} ${attributes({ lhead: ends.lhead, id: edge.id })};`;
  const extra = overlay?.edges.get(edge.id);
  const attrs = {
    id: edge.id,
    label: extra ? `${edgeLabel(transition)}\n${extra.label}` : edgeLabel(transition),
    ltail: ends.ltail,
    lhead: ends.lhead,
    ...edgeStyle(transition, edge.source === (model.states[0] as StateModel).id),
    ...(transition.targets.length === 0 ? { style: 'dotted' } : {}),
    ...(extra ? { penwidth: extra.penwidth } : {}),
  };
  return `  ${quote(tail)} -> ${quote(ends.head)} ${attributes(attrs)};`;
}

/** The diagram; with an overlay, its marks are added to the labels and lines. */
export function toDot(model: MachineModel, overlay?: DotOverlay): string {
  const root = model.states[0] as StateModel;
  const out: string[] = [
    '// Generated from the session machine by `npm run visualize`; do not edit.',
    `digraph ${quote(model.id)} {`,
    '  graph [compound=true, rankdir=TB, newrank=true, nodesep=0.35, ranksep=0.45, fontname="Helvetica", fontsize=11, labelloc=b, labeljust=l];',
    '  node [shape=box, fontname="Helvetica", fontsize=11, margin="0.12,0.05"];',
    '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
    `  label=${quote(overlay ? `${legend(model)}\n${overlay.legend}` : legend(model))};`,
  ];
  if (root.transitions.length > 0) {
    const marks = overlayLines(overlay, root);
    const label = marks.length > 0 ? `<every state<br/>${marks.join('<br/>')}>` : 'every state';
    const attrs = { id: dotNames.anchor(model), label, URL: dotNames.anchorHref(root.id) };
    out.push(
      `  ${quote(dotNames.anchor(model))} ${attributes({ ...attrs, style: 'dashed', shape: 'box', ...alertStyle(overlay, root) })};`,
    );
  }
  drawInitial(root, '  ', out);
  for (const id of root.children) drawState(model, model.byId.get(id) as StateModel, '  ', out, overlay);
  for (const edge of drawnEdges(model)) out.push(drawEdge(model, edge, overlay));
  out.push('}', '');
  return out.join('\n');
}

function uniqueId(seen: Set<string>, id: string): string {
  let unique = id;
  for (let n = 2; seen.has(unique); n++) unique = `${id}#${n}`;
  seen.add(unique);
  return unique;
}

function legend(model: MachineModel): string {
  const root = model.states[0] as StateModel;
  const everywhere = root.transitions
    .map((t) => `${transitionLabel(t)} → ${t.targets.map((id) => model.byId.get(id)?.path).join(', ')}`)
    .join('; ');
  return [
    `${model.id} machine. Page states show their URL; dashed and shaded: busy (runs a side effect);`,
    'double border: final; blue: signed-in pages. Dashed boxes are compound states.',
    everywhere ? `From every state: ${everywhere}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

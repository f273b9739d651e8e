/**
 * The explorer page for analysts: the diagram, fitted to the window, with zoom, pan and a search
 * for states and events (pan-zoom.js, inlined: the page needs no network), its states linking to
 * their sections; and, for each state, what it is, where it lives (URL, template, steps), what it
 * accepts (own transitions and those of its ancestors, with guards and targets), where it is
 * reached from, its screenshots and its section in the generated manual.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualLink } from '../manual/anchors.ts';
import { dotNames, drawnEdges, elementIdOf, isBusy } from '../src/diagram/dot.ts';
import { escapeHtml } from '../src/diagram/html.ts';
import {
  ancestry,
  type MachineModel,
  type StateModel,
  type TransitionModel,
  transitionLabel,
} from '../src/diagram/model.ts';
import { langs } from '../src/i18n/lang.ts';

export interface Screenshot {
  lang: string;
  /** Relative to the explorer page. */
  src: string;
}

export interface ExplorerOptions {
  /** Screenshots of the page states, by state id. */
  screenshots?: Map<string, Screenshot[]>;
  /** Why there are no screenshots (shown on the page), when there are none. */
  screenshotNote?: string;
}

/** How deep the explorer page lies below the repository root (visualize/out/index.html). */
const explorerDepth = 2;
const panZoomScript = readFileSync(join(import.meta.dirname, 'pan-zoom.js'), 'utf8');

function stateLink(model: MachineModel, id: string): string {
  const state = model.byId.get(id);
  const name = state?.path || `${model.id} (every state)`;
  return `<a href="${escapeHtml(dotNames.anchorHref(id))}"><code>${escapeHtml(name)}</code></a>`;
}

/** How many steps each flow has, for "step 1 of 3". */
function stepCounts(model: MachineModel): Map<string, number> {
  const counts = new Map<string, number>();
  for (const state of model.states) {
    const steps = state.meta?.steps as { flow: string; current: number } | undefined;
    if (steps) counts.set(steps.flow, Math.max(counts.get(steps.flow) ?? 0, steps.current));
  }
  return counts;
}

/** The state's own `description`, else one made from its kind, meta and tags. */
export function describeState(model: MachineModel, state: StateModel): string {
  if (state.description) return state.description;
  const meta = state.meta ?? {};
  const parts: string[] = [];
  if (!state.parent) parts.push('The machine itself; its transitions are accepted in every state.');
  if (state.children.length > 0) {
    const initial = state.initial ? model.byId.get(state.initial)?.key : undefined;
    parts.push(`Groups ${state.children.length} states${initial ? `, entered at ${initial}` : ''}.`);
  }
  if (typeof meta.url === 'string') {
    const who = meta.signedIn
      ? 'signed-in page'
      : meta.terminal
        ? 'page shown after the session has ended'
        : 'page';
    parts.push(`A ${who} at ${meta.url}, rendered by the template ${String(meta.template)}.`);
  }
  const steps = meta.steps as { flow: string; current: number } | undefined;
  if (steps)
    parts.push(`Step ${steps.current} of ${stepCounts(model).get(steps.flow)} of the ${steps.flow} flow.`);
  const entry = meta.entry as { event: string; query: string } | undefined;
  if (entry)
    parts.push(
      `Also opened from an emailed link: a new session starts with ${entry.event} (query “${entry.query}”).`,
    );
  if (isBusy(state)) {
    parts.push(
      `Busy: runs ${state.invokes.join(', ')} and leaves on its outcome; never persisted in this state.`,
    );
  }
  if (state.kind === 'final') parts.push('Final: the session ends here.');
  if (state.entry.length > 0) parts.push(`On entry: ${state.entry.join(', ')}.`);
  if (state.exit.length > 0) parts.push(`On exit: ${state.exit.join(', ')}.`);
  return parts.join(' ');
}

function transitionRows(
  model: MachineModel,
  transitions: TransitionModel[],
  from: StateModel,
  self: StateModel,
): string {
  return transitions
    .map((transition) => {
      const targets = transition.targets.length > 0 ? transition.targets : [from.id];
      const declared = from.id === self.id ? 'this state' : stateLink(model, from.id);
      return [
        '<tr>',
        `<td><code>${escapeHtml(transition.trigger.label)}</code></td>`,
        `<td>${transition.guard ? `<code>${escapeHtml(transition.guard)}</code>` : ''}</td>`,
        `<td>${targets.map((id) => stateLink(model, id)).join(', ')}</td>`,
        `<td>${transition.actions.map((action) => `<code>${escapeHtml(action)}</code>`).join(', ')}</td>`,
        `<td>${declared}</td>`,
        '</tr>',
      ].join('');
    })
    .join('\n');
}

function accepts(model: MachineModel, state: StateModel): string {
  const rows = ancestry(model, state.id)
    .map((holder) => transitionRows(model, holder.transitions, holder, state))
    .filter(Boolean);
  if (rows.length === 0) return '<p>Accepts no event.</p>';
  return [
    '<table><thead><tr><th>event</th><th>guard</th><th>target</th><th>actions</th><th>declared on</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody></table>`,
  ].join('\n');
}

function reachedFrom(model: MachineModel, state: StateModel): string {
  const sources = model.states.flatMap((source) =>
    source.transitions
      .filter((transition) => transition.targets.includes(state.id) && source.id !== state.id)
      .map(
        (transition) =>
          `${stateLink(model, source.id)} on <code>${escapeHtml(transitionLabel(transition))}</code>`,
      ),
  );
  const initialOf = model.states.filter((parent) => parent.initial === state.id);
  for (const parent of initialOf) sources.push(`${stateLink(model, parent.id)} (initial state)`);
  return sources.length > 0 ? `<p>Reached from: ${sources.join('; ')}.</p>` : '';
}

function facts(state: StateModel): string {
  const meta = state.meta ?? {};
  const rows: [string, string][] = [];
  if (typeof meta.url === 'string') rows.push(['URL', `<code>${escapeHtml(meta.url)}</code>`]);
  if (typeof meta.template === 'string') rows.push(['template', `<code>${escapeHtml(meta.template)}</code>`]);
  if (state.tags.length > 0)
    rows.push(['tags', state.tags.map((tag) => `<code>${escapeHtml(tag)}</code>`).join(', ')]);
  if (state.invokes.length > 0)
    rows.push(['invokes', state.invokes.map((src) => `<code>${escapeHtml(src)}</code>`).join(', ')]);
  if (rows.length === 0) return '';
  return `<dl>${rows.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

/** For a page state: its section in the generated manual, in each language. */
function manualLinks(state: StateModel): string {
  if (typeof state.meta?.url !== 'string') return '';
  const links = langs.map(
    (lang) =>
      `<a href="${escapeHtml(manualLink(lang, state.path, explorerDepth))}" hreflang="${lang}">${lang}</a>`,
  );
  return `<p class="manual-link">In the generated manual (<code>npm run manual</code>): ${links.join(', ')}.</p>`;
}

function section(model: MachineModel, state: StateModel, screenshots: Screenshot[]): string {
  const title = state.parent ? state.path : `${model.id} (every state)`;
  const images = screenshots
    .map(
      (shot) =>
        `<figure><a href="${escapeHtml(shot.src)}"><img src="${escapeHtml(shot.src)}" alt="${escapeHtml(`${state.path} (${shot.lang})`)}" loading="lazy"></a><figcaption>${escapeHtml(shot.lang)}</figcaption></figure>`,
    )
    .join('');
  return [
    `<section id="${escapeHtml(dotNames.anchorHref(state.id).slice(1))}" class="${escapeHtml(state.kind)}">`,
    `<h2>${escapeHtml(title)} <small>${escapeHtml(state.kind)}</small></h2>`,
    `<p>${escapeHtml(describeState(model, state))}</p>`,
    facts(state),
    accepts(model, state),
    reachedFrom(model, state),
    manualLinks(state),
    images ? `<div class="shots">${images}</div>` : '',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The SVG without its XML prolog, ready to inline. */
function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return start >= 0 ? svg.slice(start) : svg;
}

/** What the search finds: every state (its drawing) and every event (the edges it labels). */
function searchIndex(model: MachineModel) {
  const states = model.states.map((state) => ({
    name: state.parent ? state.path : `${model.id} (every state)`,
    kind: 'state',
    elements: [elementIdOf(model, state)],
    href: dotNames.anchorHref(state.id),
  }));
  const byEvent = new Map<string, string[]>();
  for (const edge of drawnEdges(model)) {
    if (!edge.transition) continue;
    const name = edge.transition.trigger.label;
    byEvent.set(name, [...(byEvent.get(name) ?? []), edge.id]);
  }
  const events = [...byEvent].map(([name, elements]) => ({ name, kind: 'event', elements }));
  return [...states, ...events];
}

/** JSON inside a script element: `<` escaped so no text can close it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

export function toExplorerHtml(model: MachineModel, svg: string, options: ExplorerOptions = {}): string {
  const screenshots = options.screenshots ?? new Map<string, Screenshot[]>();
  const contents = model.states
    .map((state) => `<li style="margin-left:${state.depth}em">${stateLink(model, state.id)}</li>`)
    .join('\n');
  const note = options.screenshotNote
    ? `<p class="note" data-testid="screenshot-note">${escapeHtml(options.screenshotNote)}</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.id)} machine — flow explorer</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #222; }
.first-screen { display: flex; flex-direction: column; height: 100vh; }
header { padding: 0.4rem 1.5rem; flex: none; }
header h1 { font-size: 1.2rem; margin: 0; }
header p { margin: 0.2rem 0; }
.note { background: #fff3cd; padding: 0.2rem 0.5rem; }
main { padding: 0 1.5rem; }
.diagram { position: relative; flex: 1; min-height: 0; overflow: hidden; border-block: 1px solid #ccc;
  touch-action: none; cursor: grab; background: #fafafa; }
.diagram:focus-visible { outline: 3px solid #1d70b8; outline-offset: -3px; }
.diagram__stage { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
.diagram__stage svg { display: block; }
.diagram__tools { position: absolute; right: 0.5rem; top: 0.5rem; z-index: 1; background: #fffe;
  border: 1px solid #ccc; padding: 0.4rem; max-width: 22rem; cursor: auto; }
.diagram__tools input { width: 14rem; }
.diagram__tools ul { list-style: none; margin: 0.3rem 0 0; padding: 0; max-height: 40vh; overflow: auto; }
.diagram__tools li button { border: 0; background: none; color: #1d4f91; cursor: pointer; padding: 0.1rem 0; text-align: left; }
.found polygon, .found path, .found ellipse { stroke: #d4351c !important; stroke-width: 4px; }
nav ul { list-style: none; padding: 0; columns: 3; }
section { border-top: 1px solid #ddd; padding: 0.5rem 0 1rem; }
section:target { background: #fffbe6; }
h2 small { font-weight: normal; color: #777; font-size: 0.7em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { color: #555; }
dd { margin: 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
.shots { display: flex; gap: 1rem; flex-wrap: wrap; }
.shots img { width: 420px; border: 1px solid #ccc; }
figure { margin: 0; }
</style>
</head>
<body>
<div class="first-screen">
<header>
<h1>${escapeHtml(model.id)} machine — flow explorer</h1>
<p>Generated from the machine by <code>npm run visualize</code>. Wheel or pinch to zoom, drag to pan;
with the diagram focused, <kbd>+</kbd> <kbd>-</kbd> zoom, arrow keys pan, <kbd>0</kbd> fits it. Click a state to read about it.
Sources: ${['dot', 'mmd', 'svg'].map((ext) => `<a href="${escapeHtml(model.id)}.${ext}">${escapeHtml(model.id)}.${ext}</a>`).join(', ')}.</p>
${note}
</header>
<div class="diagram" id="diagram" tabindex="0" aria-label="Diagram of the ${escapeHtml(model.id)} machine (zoom with + and -, pan with the arrow keys, 0 to fit)">
<div class="diagram__tools">
<label for="diagram-search">Find a state or event</label>
<input type="search" id="diagram-search" autocomplete="off" placeholder="e.g. changePassword, LOGIN">
<button type="button" data-zoom="in" aria-label="Zoom in">+</button><button type="button" data-zoom="out" aria-label="Zoom out">−</button><button type="button" data-zoom="fit">Fit</button>
<ul id="diagram-results" aria-live="polite"></ul>
</div>
<div class="diagram__stage" id="stage">
${inlineSvg(svg)}
</div>
</div>
</div>
<main>
<nav><h2>States</h2><ul>
${contents}
</ul></nav>
${model.states.map((state) => section(model, state, screenshots.get(state.id) ?? [])).join('\n')}
</main>
<script type="application/json" id="diagram-index">${scriptJson(searchIndex(model))}</script>
<script>
${panZoomScript}</script>
</body>
</html>
`;
}

/**
 * The explorer page for analysts: the diagram (its states link to their sections) and, for each
 * state, what it is, where it lives (URL, template, steps), what it accepts (own transitions and
 * those of its ancestors, with guards and targets) and where it is reached from. Screenshots of
 * a page are shown when `npm run visualize -- --screenshots` has taken them.
 */
import { dotNames, isBusy } from './dot.ts';
import { escapeHtml } from './html.ts';
import {
  ancestry,
  type MachineModel,
  type StateModel,
  type TransitionModel,
  transitionLabel,
} from './model.ts';

export interface Screenshot {
  lang: string;
  /** Relative to the explorer page. */
  src: string;
}

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

export function toExplorerHtml(
  model: MachineModel,
  svg: string,
  screenshots: Map<string, Screenshot[]> = new Map(),
): string {
  const contents = model.states
    .map((state) => `<li style="margin-left:${state.depth}em">${stateLink(model, state.id)}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(model.id)} machine — flow explorer</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #222; }
header, main { padding: 0 1.5rem; }
.diagram { overflow: auto; border-bottom: 1px solid #ccc; max-height: 80vh; }
.diagram svg { display: block; margin: 0 auto; }
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
<header>
<h1>${escapeHtml(model.id)} machine — flow explorer</h1>
<p>Generated from the machine by <code>npm run visualize</code>. Click a state in the diagram to read about it.
Sources: ${['dot', 'mmd', 'svg'].map((ext) => `<a href="${escapeHtml(model.id)}.${ext}">${escapeHtml(model.id)}.${ext}</a>`).join(', ')}.</p>
</header>
<div class="diagram">
${inlineSvg(svg)}
</div>
<main>
<nav><h2>States</h2><ul>
${contents}
</ul></nav>
${model.states.map((state) => section(model, state, screenshots.get(state.id) ?? [])).join('\n')}
</main>
</body>
</html>
`;
}

/**
 * The live flow view for analysts, GET /flow: the committed diagram of the session machine,
 * lit up by the moves streamed at /flow/events (templates/assets/flow.js), and, with
 * `?since=7d`, the recorded traffic laid over it from GET /flow/overlay — the same overlay
 * `npm run visualize -- --since 7d` draws. Operator-only, like the feed. The page shows counts
 * per state and event names, never a session id; no inline script or style (the CSP forbids it).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { sessionMachine } from '../../machines/session.ts';
import { elementIdOf } from '../diagram/dot.ts';
import { escapeHtml } from '../diagram/html.ts';
import { describeMachine, finalPaths, type MachineModel } from '../diagram/model.ts';
import { countTraffic, moveTable, overlayJson, trafficOverlay } from '../diagram/traffic.ts';
import { trafficSince } from './flow-traffic.ts';
import { sinceOf } from './live-flow.ts';
import { operatorOnly } from './operator.ts';

/** Where `npm run visualize` writes the committed diagram. */
export const diagramDir = join(import.meta.dirname, '..', '..', 'visualize', 'out');

const periods: [string, string][] = [
  ['', 'none'],
  ['1h', 'last hour'],
  ['24h', 'last 24 hours'],
  ['7d', 'last 7 days'],
  ['30d', 'last 30 days'],
];

/** What the page's script needs to find things in the SVG: everything is named as in the machine. */
export function flowMap(model: MachineModel) {
  return {
    /** State path → the SVG element that draws it. */
    elements: Object.fromEntries(model.states.map((state) => [state.path, elementIdOf(model, state)])),
    /** `from|event|to` (`*` for any source) → the edges the move passes along. */
    moves: Object.fromEntries(moveTable(model)),
    /** A session that reaches one of these has ended. */
    finals: finalPaths(model),
  };
}

interface PageInput {
  model: MachineModel;
  svg: string;
  since: string | undefined;
  idleSeconds: number;
}

function sinceForm(since: string | undefined): string {
  const options = periods.map(
    ([value, label]) =>
      `<option value="${value}"${value === (since ?? '') ? ' selected' : ''}>${label}</option>`,
  );
  return `<form class="flow-since" method="get" action="/flow">
<label for="since">Recorded traffic</label>
<select id="since" name="since">${options.join('')}</select>
<button type="submit">Show</button>
</form>`;
}

export function flowPageHtml({ model, svg, since, idleSeconds }: PageInput): string {
  const overlay = since ? `/flow/overlay?since=${encodeURIComponent(since)}` : '';
  const title = `Live flow — ${model.id} machine`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/flow.css">
<script src="/assets/flow.js" defer></script>
</head>
<body class="flow-page">
<header class="flow-header">
<h1>${escapeHtml(title)}</h1>
<p id="flow-status" class="flow-status" role="status">Connecting to the live feed…</p>
${sinceForm(since)}
<button type="button" class="flow-zoom" aria-pressed="false" id="flow-zoom">Actual size</button>
</header>
<main class="flow-main">
<div class="flow-diagram" id="flow" role="img" aria-label="State diagram of the ${escapeHtml(model.id)} machine; the side panel lists the same counts as text"
 data-map="${escapeHtml(JSON.stringify(flowMap(model)))}" data-events="/flow/events" data-overlay="${escapeHtml(overlay)}" data-idle-seconds="${idleSeconds}">
${svg}
</div>
<aside class="flow-panel">
<section aria-labelledby="flow-active-title">
<h2 id="flow-active-title">Active sessions</h2>
<p class="flow-note">Sessions that moved since this page was opened, by the state they are in. A session leaves the count when it ends, or after ${Math.round(idleSeconds / 60)} minutes without a move (it has timed out, or has a new id after logging in).</p>
<table class="flow-table"><thead><tr><th scope="col">state</th><th scope="col">sessions</th></tr></thead>
<tbody id="flow-active"></tbody>
<tfoot><tr><th scope="row">total</th><td id="flow-total">0</td></tr></tfoot></table>
</section>
<section aria-labelledby="flow-log-title">
<h2 id="flow-log-title">Recent moves</h2>
<ol id="flow-log" class="flow-log" reversed></ol>
</section>
<section id="flow-traffic" aria-labelledby="flow-traffic-title" hidden>
<h2 id="flow-traffic-title">Where sessions end</h2>
<p id="flow-legend" class="flow-note"></p>
<table class="flow-table"><thead><tr><th scope="col">state</th><th scope="col">endings</th></tr></thead>
<tbody id="flow-endings"></tbody></table>
</section>
<section aria-labelledby="flow-selected-title">
<h2 id="flow-selected-title">Selected state</h2>
<div id="flow-selected" class="flow-note">Click a state in the diagram.</div>
</section>
</aside>
</main>
</body>
</html>
`;
}

/** `?since=7d`: a period in days, hours or minutes (as `sinceOf` reads it). */
const sinceQuery = {
  querystring: {
    type: 'object',
    properties: { since: { type: 'string', pattern: '^(\\d{1,4}[dhm])?$' } },
  },
} as const;

interface FlowPageOptions {
  pool: pg.Pool;
  operatorToken?: string;
  /** Sessions not seen moving for this long are dropped from the live counts. */
  idleSeconds: number;
}

async function flowPage(app: FastifyInstance, { pool, operatorToken, idleSeconds }: FlowPageOptions) {
  const guard = operatorOnly(operatorToken);
  const model = describeMachine(sessionMachine);
  const table = moveTable(model);
  const file = await readFile(join(diagramDir, `${model.id}.svg`), 'utf8');
  const svg = file.slice(file.indexOf('<svg')); // without the XML prolog, to inline it

  app.get('/flow', { onRequest: guard, schema: sinceQuery }, async (request, reply) => {
    const since = (request.query as { since?: string }).since || undefined;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(flowPageHtml({ model, svg, since, idleSeconds }));
  });

  app.get('/flow/overlay', { onRequest: guard, schema: sinceQuery }, async (request, reply) => {
    const since = sinceOf((request.query as { since?: string }).since);
    const counts = countTraffic(model, await trafficSince(pool, since), table);
    const overlay = overlayJson(model, trafficOverlay(model, counts, since));
    return reply.header('cache-control', 'no-store').send({ since, ...overlay });
  });
}

export default fp(flowPage, { name: 'flow-page' });

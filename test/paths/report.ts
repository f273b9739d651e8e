/**
 * What the replayed paths covered of the machine: states, transitions, events and variants
 * (transition × payload or outcome), written to test-results/paths/ as coverage.json and a small
 * index.html, with a one-line summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  activeStates,
  allRequests,
  type ModelPath,
  type Request,
  states,
  transitions,
  unreachable,
} from './model.ts';

export const reportDir = join(import.meta.dirname, '..', '..', 'test-results', 'paths');

export interface PathResult {
  id: string;
  kind: ModelPath['kind'];
  name: string;
  requests: number;
  passed: boolean;
  ms: number;
  error?: string;
}

export interface Measure {
  covered: number;
  total: number;
  percent: number;
  missing: string[];
}

export interface CoverageReport {
  states: Measure;
  transitions: Measure & { unreachable: { name: string; reason: string }[]; staleUnreachable: string[] };
  events: Measure;
  variants: Measure;
  paths: { total: number; passed: number; failed: number; requests: number; byKind: Record<string, number> };
  /** Transitions the engine takes itself (out of sequence, timeout): provoked from outside, not sent by a client. */
  realizedByEngine: string[];
  results: PathResult[];
}

function measure(universe: Iterable<string>, covered: Set<string>): Measure {
  const all = [...new Set(universe)];
  const hit = all.filter((item) => covered.has(item));
  return {
    covered: hit.length,
    total: all.length,
    percent: all.length === 0 ? 100 : Math.floor((hit.length / all.length) * 1000) / 10,
    missing: all.filter((item) => !covered.has(item)),
  };
}

export class Coverage {
  readonly states = new Set<string>();
  readonly transitions = new Set<string>();
  readonly variants = new Set<string>();
  readonly results: PathResult[] = [];

  /** A request whose server-side state was checked. */
  record(request: Request): void {
    for (const snapshot of [request.busy, request.to]) {
      if (snapshot) for (const state of activeStates(snapshot)) this.states.add(state);
    }
    for (const name of request.transitions) this.transitions.add(name);
    this.variants.add(request.key);
  }

  result(result: PathResult): void {
    this.results.push(result);
  }

  report(): CoverageReport {
    const reachable = transitions.filter((t) => !(t.name in unreachable));
    const eventOf = new Map(transitions.map((t) => [t.name, t.event]));
    const coveredEvents = new Set([...this.transitions].map((name) => eventOf.get(name) ?? name));
    const results = [...this.results].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    const byKind: Record<string, number> = {};
    for (const r of results) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    return {
      states: measure(states, this.states),
      transitions: {
        ...measure(
          reachable.map((t) => t.name),
          this.transitions,
        ),
        unreachable: Object.entries(unreachable).map(([name, reason]) => ({ name, reason })),
        staleUnreachable: Object.keys(unreachable).filter(
          (name) => this.transitions.has(name) || !transitions.some((t) => t.name === name),
        ),
      },
      events: measure(
        reachable.map((t) => t.event),
        coveredEvents,
      ),
      variants: measure(
        allRequests().map((r) => r.key),
        this.variants,
      ),
      paths: {
        total: results.length,
        passed: results.filter((r) => r.passed).length,
        failed: results.filter((r) => !r.passed).length,
        requests: results.reduce((n, r) => n + r.requests, 0),
        byKind,
      },
      realizedByEngine: transitions.filter((t) => t.source === '*').map((t) => t.name),
      results,
    };
  }
}

const pct = (m: Measure) => `${m.percent}% (${m.covered}/${m.total})`;

export function summaryLine(report: CoverageReport): string {
  const { paths } = report;
  const kinds = Object.entries(paths.byKind)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return (
    `paths: states ${pct(report.states)}, transitions ${pct(report.transitions)} ` +
    `+ ${report.transitions.unreachable.length} unreachable, events ${pct(report.events)}, ` +
    `variants ${pct(report.variants)}; ${paths.passed}/${paths.total} paths passed (${kinds}), ${paths.requests} requests`
  );
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

function list(title: string, items: string[]): string {
  if (items.length === 0) return '';
  return `<h2>${escapeHtml(title)}</h2><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

export function html(report: CoverageReport): string {
  const rows = report.results
    .map(
      (r) =>
        `<tr class="${r.passed ? 'ok' : 'failed'}"><td>${r.id}</td><td>${r.passed ? 'passed' : 'FAILED'}</td>` +
        `<td>${r.requests}</td><td>${r.ms}</td><td>${escapeHtml(r.name)}${r.error ? `<pre>${escapeHtml(r.error)}</pre>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Path coverage</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}
tr.failed{background:#fdd}pre{white-space:pre-wrap;margin:0}</style></head><body>
<h1>Path coverage of the session machine</h1>
<p>${escapeHtml(summaryLine(report))}</p>
${list('States not reached', report.states.missing)}
${list('Transitions not taken', report.transitions.missing)}
${list('Variants not replayed', report.variants.missing)}
${list(
  'Unreachable transitions',
  report.transitions.unreachable.map((u) => `${u.name}: ${u.reason}`),
)}
${list('Stale entries of the unreachable table', report.transitions.staleUnreachable)}
${list('Taken by the engine itself (provoked from outside)', report.realizedByEngine)}
<h2>Paths</h2>
<table><tr><th>id</th><th>result</th><th>requests</th><th>ms</th><th>path</th></tr>
${rows}
</table></body></html>
`;
}

export function writeReport(report: CoverageReport, dir = reportDir): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'coverage.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'index.html'), html(report));
}

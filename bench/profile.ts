/**
 * Reads a V8 .cpuprofile: where the time went, by function (self and total) and by module.
 *
 *   node bench/profile.ts bench/results/<date>-transitions.cpuprofile [rows]
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
}

export interface Row {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time spent in each function itself. */
  self: Row[];
  /** Time spent in each function and everything it called. */
  total: Row[];
  /** Self time by module: a package, a file of the project, Node's internals, the GC. */
  modules: Row[];
}

const root = `${relative('/', `${import.meta.dirname}/..`)}/`;

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '').replace(/^\//, '');
  const inPackage = path.lastIndexOf('node_modules/');
  if (inPackage >= 0) return path.slice(inPackage + 'node_modules/'.length);
  return path.startsWith(root) ? path.slice(root.length) : path;
}

function functionName(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  return `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function moduleName(frame: CallFrame): string {
  if (!frame.url) return frame.functionName || '(native)';
  if (frame.url.startsWith('node:')) return 'node internals';
  const path = shortUrl(frame.url);
  if (frame.url.includes('node_modules/')) {
    const parts = path.split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  return path;
}

function rows(times: Map<string, number>, totalMs: number, limit: number): Row[] {
  return [...times]
    .map(([name, ms]) => ({ name, ms, share: totalMs ? ms / totalMs : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}

export function summarizeProfile(profile: CpuProfile, limit = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const modules = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    totalMs += ms;
    const name = functionName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + ms);
    const module = moduleName(node.callFrame);
    modules.set(module, (modules.get(module) ?? 0) + ms);
    // every function on the stack once, however often it recurses
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame && frame.functionName !== '(root)') onStack.add(functionName(frame));
    }
    for (const name of onStack) total.set(name, (total.get(name) ?? 0) + ms);
  });
  return {
    totalMs,
    self: rows(self, totalMs, limit),
    total: rows(total, totalMs, limit),
    modules: rows(modules, totalMs, limit),
  };
}

export function formatSummary(summary: ProfileSummary): string {
  const table = (title: string, list: Row[]) =>
    [
      title,
      ...list.map(
        (row) =>
          `  ${row.ms.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`,
      ),
    ].join('\n');
  return [
    `CPU time sampled (idle excluded): ${summary.totalMs.toFixed(0)} ms`,
    table('Self time by function:', summary.self),
    table('Self time by module:', summary.modules),
    table('Total time by function (self and callees):', summary.total),
  ].join('\n\n');
}

if (import.meta.main) {
  const [file, limit] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/profile.ts <file.cpuprofile> [rows]');
    process.exit(2);
  }
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  console.log(formatSummary(summarizeProfile(profile, Number(limit ?? 25))));
}

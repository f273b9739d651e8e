/**
 * Everything `npm run visualize` writes, as strings: DOT, Mermaid and SVG (committed, compared
 * in CI) and the explorer page (ignored by git). Deterministic: the same machine always gives
 * the same bytes.
 */
import { join } from 'node:path';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { AnyStateMachine } from 'xstate';
import { toDot } from '../src/diagram/dot.ts';
import { describeMachine, type MachineModel } from '../src/diagram/model.ts';
import { type ExplorerOptions, toExplorerHtml } from './explorer.ts';
import { toMermaid } from './mermaid.ts';

export const outDir = join(import.meta.dirname, 'out');

export interface Diagrams {
  model: MachineModel;
  /** File name in the output folder → content, for the committed files. */
  files: Map<string, string>;
  svg: string;
}

/** Renders DOT to SVG with Graphviz compiled to WebAssembly: no system binary needed. */
export async function renderSvg(dot: string): Promise<string> {
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}

export async function generateDiagrams(machine: AnyStateMachine): Promise<Diagrams> {
  const model = describeMachine(machine);
  const dot = toDot(model);
  const svg = await renderSvg(dot);
  const files = new Map([
    [`${model.id}.dot`, dot],
    [`${model.id}.mmd`, toMermaid(model)],
    [`${model.id}.svg`, svg],
  ]);
  return { model, files, svg };
}

export function explorerPage(diagrams: Diagrams, options?: ExplorerOptions): string {
  return toExplorerHtml(diagrams.model, diagrams.svg, options);
}

/**
 * The screen-transition diagram of the manual (the seed's section 1.2): each page a thumbnail of
 * its first screen with its name, each arrow a move labelled with the button or link that makes
 * it, the moves a whole group of pages shares (log out after login) drawn once from the group's
 * frame, and the system's own moves (invalid operation, time-out) once from "any page". Laid out
 * by the project's Graphviz (WebAssembly, offline).
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { escapeHtml } from '../src/diagram/html.ts';
import type { Lang } from '../src/i18n/lang.ts';
import { pageAnchor } from './anchors.ts';
import type { ManualModel, MoveModel } from './model.ts';
import { say } from './text.ts';

/** The first screen of each page, by page path: its file (relative to the manual) and pixel size. */
export type Thumbs = Map<string, { file: string; width: number; height: number }>;

const anyPage = 'any';
const thumbSize = { width: 96, height: 72 };

const quote = (text: string) =>
  `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;

/** Breaks a label into lines of about `width` characters (Japanese has no spaces: it breaks anywhere). */
function wrap(text: string, lang: Lang, width = lang === 'ja' ? 14 : 22): string[] {
  if (lang === 'ja') return text.match(new RegExp(`.{1,${width}}`, 'gu')) ?? [text];
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function pageNode(model: ManualModel, path: string, lang: Lang, thumbs?: Thumbs): string {
  const page = model.pages.get(path);
  const title = wrap(page?.title[lang] ?? path, lang)
    .map((line) => escapeHtml(line))
    .join('<BR/>');
  const thumb = thumbs?.get(path);
  const image = thumb
    ? `<TR><TD FIXEDSIZE="TRUE" WIDTH="${thumbSize.width}" HEIGHT="${thumbSize.height}"><IMG SRC="${escapeHtml(thumb.file)}" SCALE="TRUE"/></TD></TR>`
    : '';
  const label = `<<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="3" COLOR="#505a5f" BGCOLOR="white">${image}<TR><TD><FONT POINT-SIZE="13">${title}</FONT></TD></TR></TABLE>>`;
  return `  ${quote(path)} [id=${quote(`page:${path}`)}, label=${label}, URL=${quote(`#${pageAnchor(path)}`)}];`;
}

function tailOf(model: ManualModel, move: MoveModel): { tail: string; ltail?: string } {
  if (move.source.kind === 'any') return { tail: anyPage };
  if (move.source.kind === 'page') return { tail: move.source.path };
  const first = model.groups.get(move.source.path)?.[0] ?? move.source.path;
  return { tail: first, ltail: `cluster_${move.source.path}` };
}

function edge(model: ManualModel, move: MoveModel, lang: Lang): string {
  const { tail, ltail } = tailOf(model, move);
  const label = wrap(move.label[lang], lang).join('\n');
  const attrs = [
    `id=${quote(move.id)}`,
    `label=${quote(label)}`,
    ...(ltail ? [`ltail=${quote(ltail)}`] : []),
    ...(move.source.kind === 'any' ? ['style=dashed', 'color="#6f777b"'] : []),
  ];
  return `  ${quote(tail)} -> ${quote(move.to)} [${attrs.join(', ')}];`;
}

function groupLabel(model: ManualModel, group: string, lang: Lang): string {
  const chapter = model.chapters.find((c) =>
    c.pages.some((page) => page.path === model.groups.get(group)?.[0]),
  );
  const all = model.groups.get(group) ?? [];
  const oneChapter = chapter && all.every((path) => chapter.pages.some((page) => page.path === path));
  return oneChapter ? chapter.title[lang] : say('afterLogin', lang);
}

/** The DOT of the diagram in a language; with `thumbs`, each page shows its first screen. */
export function diagramDot(model: ManualModel, lang: Lang, thumbs?: Thumbs): string {
  const grouped = new Set([...model.groups.values()].flat());
  const out = [
    'digraph manual {',
    '  graph [compound=true, rankdir=LR, nodesep=0.25, ranksep=0.5, fontname="sans-serif", fontsize=14];',
    '  node [shape=plain, fontname="sans-serif"];',
    '  edge [fontname="sans-serif", fontsize=12, arrowsize=0.7, color="#0b0c0c"];',
    `  ${quote(anyPage)} [id="page:*", shape=box, style="rounded,dashed", label=${quote(say('anyPage', lang))}];`,
  ];
  for (const path of model.pages.keys())
    if (!grouped.has(path)) out.push(pageNode(model, path, lang, thumbs));
  for (const [group, paths] of model.groups) {
    out.push(`  subgraph ${quote(`cluster_${group}`)} {`);
    out.push(`    label=${quote(groupLabel(model, group, lang))}; style="rounded,dashed"; color="#6f777b";`);
    for (const path of paths) out.push(`  ${pageNode(model, path, lang, thumbs)}`);
    out.push('  }');
  }
  for (const move of model.moves) out.push(edge(model, move, lang));
  out.push('}', '');
  return out.join('\n');
}

/** The moves of the model the DOT draws no edge for. */
export function missingMoves(model: ManualModel, dot: string): string[] {
  const drawn = new Set([...dot.matchAll(/->[^\n]*\[id="([^"]*)"/g)].map((match) => match[1]));
  return model.moves.filter((move) => !drawn.has(move.id)).map((move) => move.id);
}

/** The diagram as SVG; the thumbnails' files must be known to Graphviz with their size. */
export async function diagramSvg(dot: string, thumbs: Thumbs): Promise<string> {
  const graphviz = await Graphviz.load();
  const images = [...thumbs.values()].map((thumb) => ({
    path: thumb.file,
    width: `${thumb.width}px`,
    height: `${thumb.height}px`,
  }));
  const svg = graphviz.layout(dot, 'svg', 'dot', { images });
  return svg.slice(svg.indexOf('<svg'));
}

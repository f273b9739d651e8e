/**
 * The manual as one HTML page per language (its pictures beside it), in the seed manual's layout:
 * numbered headings (1.1, 2.1.1, …), a table of contents, for each page a screenshot with numbered
 * callouts over the elements that carry the manual's items and the table "Screen item No. /
 * On-screen item / Description", "how to" sequences with a small picture of each step, the
 * screen-transition diagram and the list of error messages. The same HTML is printed to PDF.
 */

import { escapeHtml } from '../src/diagram/html.ts';
import type { ManualText } from '../src/flow/manual-items.ts';
import type { Lang } from '../src/i18n/lang.ts';
import { pageAnchor } from './anchors.ts';
import type { Catalogue } from './catalogue.ts';
import type { ScannedPage } from './html-scan.ts';
import {
  type Box,
  buttonName,
  type ChapterModel,
  type ErrorRow,
  type HowToModel,
  type ItemRow,
  type ManualModel,
  type PageModel,
  type Rendition,
  renditionKey,
  type Shot,
  type StepModel,
} from './model.ts';
import type { Variant } from './paths.ts';
import { say, type TextKey } from './text.ts';

export interface RenderInput {
  model: ManualModel;
  renditions: Map<string, Rendition>;
  catalogue: Catalogue;
  lang: Lang;
  /** The screen-transition diagram, as SVG. */
  diagram: string;
  date: string;
}

interface TocEntry {
  id: string;
  number: string;
  title: string;
}

/** Builds the document and its table of contents together. */
class Writer {
  readonly toc: TocEntry[] = [];
  readonly input: RenderInput;

  constructor(input: RenderInput) {
    this.input = input;
  }

  get lang(): Lang {
    return this.input.lang;
  }

  say(key: TextKey, params?: Record<string, string>): string {
    return escapeHtml(say(key, this.lang, params));
  }

  text(text: ManualText): string {
    return escapeHtml(text[this.lang]);
  }

  heading(level: number, id: string, number: string, title: string): string {
    this.toc.push({ id, number, title });
    return `<h${level} id="${escapeHtml(id)}"><span class="number">${escapeHtml(number)}</span> ${escapeHtml(title)}</h${level}>`;
  }

  rendition(path: string, variant: Variant): Rendition | undefined {
    return this.input.renditions.get(renditionKey(this.lang, path, variant));
  }

  scan(path: string): ScannedPage | undefined {
    return this.rendition(path, 'clean')?.scan;
  }

  pageTitle(path: string): string {
    const page = this.input.model.pages.get(path);
    return page ? page.title[this.lang] : path;
  }

  pageLink(path: string): string {
    const page = this.input.model.pages.get(path);
    const title = escapeHtml(this.pageTitle(path));
    return page ? `<a href="#${pageAnchor(path)}">${title} (${escapeHtml(page.number)})</a>` : title;
  }
}

// ---------------------------------------------------------------------------------------------
// Pictures

/** The margin left of a screenshot where the callouts' numbers stand. */
const gutter = 100;

/** A number badge in the margin at height `y`, with a leader line to the element's left edge. */
function badge(label: string, y: number, box: Box): string {
  const width = 12 + 8.5 * label.length;
  const left = -gutter + 4;
  const lineY = box.y + Math.min(box.height, 26) / 2;
  return [
    '<g class="badge">',
    `<line x1="${left + width}" y1="${y + 11}" x2="${box.x - 2}" y2="${lineY}"/>`,
    `<rect x="${left}" y="${y}" width="${width}" height="22" rx="11"/>`,
    `<text x="${left + width / 2}" y="${y + 16}">${escapeHtml(label)}</text>`,
    '</g>',
  ].join('');
}

/**
 * The screenshot with a frame on each element that carries a described item, and its number in
 * the margin beside the first element of each (the "!" marks of several fields are one item),
 * the numbers stacked so none covers another.
 */
function annotated(shot: Shot, rows: ItemRow[], alt: string): string {
  const labels = new Map(rows.map((row) => [row.id, row.label]));
  const marks = shot.marks
    .map((mark) => ({ box: mark.box, labels: mark.items.flatMap((id) => labels.get(id) ?? []) }))
    .filter((mark) => mark.labels.length > 0)
    .sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
  const frames = marks.map(
    ({ box }) =>
      `<rect class="frame" x="${box.x - 2}" y="${box.y - 2}" width="${box.width + 4}" height="${box.height + 4}"/>`,
  );
  const badged = new Set<string>();
  let free = 0;
  const badges = marks.flatMap(({ box, labels: own }) => {
    const fresh = own.filter((label) => !badged.has(label));
    if (fresh.length === 0) return [];
    for (const label of fresh) badged.add(label);
    const y = Math.max(box.y + Math.min(box.height, 26) / 2 - 11, free);
    free = y + 26;
    return [badge(fresh.join(', '), y, box)];
  });
  const width = shot.width + gutter;
  return [
    `<svg class="shot" viewBox="${-gutter} 0 ${width} ${shot.height}" width="${width}" height="${shot.height}" role="img" aria-label="${escapeHtml(alt)}">`,
    `<image href="${escapeHtml(shot.file)}" width="${shot.width}" height="${shot.height}"/>`,
    ...frames,
    ...badges,
    '</svg>',
  ].join('');
}

/** A band of the screenshot around a button, the button framed: the picture of a step. */
function cropped(shot: Shot, box: Box | undefined, alt: string): string {
  const height = Math.min(320, shot.height);
  const centre = box ? box.y + box.height / 2 : 0;
  const top = Math.round(Math.min(Math.max(0, centre - height / 2), shot.height - height));
  const frame = box
    ? `<rect class="frame" x="${box.x - 4}" y="${box.y - 4}" width="${box.width + 8}" height="${box.height + 8}"/>`
    : '';
  return `<svg class="step-shot" viewBox="0 ${top} ${shot.width} ${height}" width="${shot.width}" height="${height}" role="img" aria-label="${escapeHtml(alt)}"><image href="${escapeHtml(shot.file)}" width="${shot.width}" height="${shot.height}"/>${frame}</svg>`;
}

// ---------------------------------------------------------------------------------------------
// Pages

function itemTable(w: Writer, rows: ItemRow[]): string {
  if (rows.length === 0) return '';
  const body = rows
    .map(
      (row) =>
        `<tr><td class="no">${escapeHtml(row.label)}</td><td>${w.text(row.name)}</td><td>${w.text(row.description)}</td></tr>`,
    )
    .join('');
  return `<table class="items"><thead><tr><th>${w.say('itemNo')}</th><th>${w.say('item')}</th><th>${w.say('description')}</th></tr></thead><tbody>${body}</tbody></table>`;
}

function pageFigure(w: Writer, page: PageModel, variant: Variant): string {
  const shot = w.rendition(page.path, variant)?.shot;
  if (!shot) return '';
  const caption = w.say(variant === 'clean' ? 'clean' : 'withErrors', { page: page.title[w.lang] });
  return `<figure class="page-shot">${annotated(shot, page.items[variant], caption)}<figcaption>${caption}</figcaption></figure>`;
}

function pageSection(w: Writer, page: PageModel, level: number): string {
  const errorsOnly = page.items.errors.filter(
    (row) => !page.items.clean.some((clean) => clean.id === row.id),
  );
  const withErrors = page.variants.includes('errors');
  return [
    '<section class="page">',
    w.heading(
      level,
      pageAnchor(page.path),
      page.number,
      say('descriptionOf', w.lang, { page: page.title[w.lang] }),
    ),
    page.note ? `<p>${w.text(page.note)}</p>` : '',
    pageFigure(w, page, 'clean'),
    itemTable(w, page.items.clean),
    withErrors ? pageFigure(w, page, 'errors') : '',
    withErrors ? itemTable(w, errorsOnly) : '',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// How-to sequences

function stepText(w: Writer, step: StepModel): string {
  if (step.kind === 'link') return w.say('openLink');
  const scan = w.scan(step.page);
  const button = buttonName(scan, step.action ?? '', w.input.catalogue, w.lang) ?? step.action ?? '';
  const page = w.pageTitle(step.page);
  if (step.kind === 'move') return w.say('click', { page, button });
  const fields = step.fields.map((name) => {
    const field = scan?.fields.find((f) => f.name === name);
    const label = field?.label ?? name;
    return field?.hidden && field.chosenWith
      ? say('choose', w.lang, { field: label, button: field.chosenWith })
      : label;
  });
  return w.say('enter', { page, button, fields: fields.join(say('listSeparator', w.lang)) });
}

function stepPicture(w: Writer, step: StepModel): string {
  if (step.kind === 'link') return '';
  const shot = w.rendition(step.page, 'clean')?.shot;
  if (!shot) return '';
  return cropped(shot, step.action ? shot.buttons[step.action] : undefined, w.pageTitle(step.page));
}

function howToSection(w: Writer, howTo: HowToModel, level: number): string {
  const first = howTo.follows
    ? w.say('follow', { section: howTo.follows.number, title: howTo.follows.title[w.lang] })
    : w.say('startOn', { page: w.pageTitle(howTo.start ?? 'home') });
  const steps = howTo.steps.map((step) => `<li><p>${stepText(w, step)}</p>${stepPicture(w, step)}</li>`);
  const goal = w.rendition(howTo.goal, 'clean')?.shot;
  const end = goal ? cropped(goal, undefined, w.pageTitle(howTo.goal)) : '';
  const opens = `<li><p>${w.say('opens', { page: w.pageTitle(howTo.goal) })}</p>${end}</li>`;
  return [
    '<section class="how-to">',
    w.heading(level, `sec-${howTo.number.replaceAll('.', '-')}`, howTo.number, howTo.title[w.lang]),
    `<ol class="steps"><li><p>${first}</p></li>${steps.join('')}${opens}</ol>`,
    '</section>',
  ].join('\n');
}

function chapterSection(w: Writer, chapter: ChapterModel, level: number): string {
  return [
    `<section class="chapter">`,
    w.heading(level, `sec-${chapter.number.replaceAll('.', '-')}`, chapter.number, chapter.title[w.lang]),
    `<p>${w.text(chapter.intro)}</p>`,
    ...chapter.howTos.map((howTo) => howToSection(w, howTo, level + 1)),
    ...chapter.pages.map((page) => pageSection(w, page, level + 1)),
    '</section>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Introduction, errors

/** The page (and variant) that shows the most items of a section: the picture of that section. */
function showcase(model: ManualModel, section: string): { page: PageModel; variant: Variant } | undefined {
  let best: { page: PageModel; variant: Variant; count: number } | undefined;
  for (const page of model.pages.values()) {
    for (const variant of page.variants) {
      const count = page.items[variant].filter((row) => row.id.startsWith(`${section}-`)).length;
      if (!best || count > best.count) best = { page, variant, count };
    }
  }
  return best;
}

function commonSection(w: Writer): string {
  const section = '1.4';
  const entry = w.input.catalogue.section(section);
  const ids = w.input.catalogue.itemIds().filter((id) => id.startsWith(`${section}-`));
  const rows: ItemRow[] = ids.flatMap((id) => {
    const item = w.input.catalogue.item(id);
    return item ? [{ id, label: id.slice(section.length + 1), ...item }] : [];
  });
  const shown = showcase(w.input.model, section);
  const shot = shown && w.rendition(shown.page.path, shown.variant)?.shot;
  const figure = shot
    ? `<figure class="page-shot">${annotated(shot, rows, shown.page.title[w.lang])}<figcaption>${escapeHtml(shown.page.title[w.lang])}</figcaption></figure>`
    : '';
  return [
    w.heading(2, 'sec-1-3', '1.3', entry?.title[w.lang] ?? say('commonTitle', w.lang)),
    entry?.note ? `<p>${w.text(entry.note)}</p>` : '',
    figure,
    itemTable(w, rows),
  ].join('\n');
}

function errorRowHtml(w: Writer, row: ErrorRow): string {
  const places = [
    ...row.pages.map((path) => w.pageLink(path)),
    ...row.elsewhere.map((where) =>
      w.say(where.key, {
        pages: (where.pages ?? []).map((path) => w.pageTitle(path)).join(say('listSeparator', w.lang)),
      }),
    ),
  ];
  return `<tr><td class="code">${escapeHtml(row.code)}</td><td lang="ja">${escapeHtml(row.text.ja)}</td><td lang="en">${escapeHtml(row.text.en)}</td><td>${places.join('<br>')}</td></tr>`;
}

function errorSection(w: Writer): string {
  const head = ['code', 'japanese', 'english', 'shownOn'] as const;
  return [
    w.heading(2, 'sec-3-1', '3.1', say('errorList', w.lang)),
    `<p>${w.say('errorListIntro')}</p>`,
    `<table class="errors"><thead><tr>${head.map((key) => `<th>${w.say(key)}</th>`).join('')}</tr></thead>`,
    `<tbody>${w.input.model.errors.map((row) => errorRowHtml(w, row)).join('\n')}</tbody></table>`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The document

function tocHtml(w: Writer): string {
  const entries = w.toc.map((entry) => {
    const depth = entry.number.replace(/\.$/, '').split('.').length;
    return `<li class="toc-${depth}"><a href="#${escapeHtml(entry.id)}"><span class="number">${escapeHtml(entry.number)}</span> ${escapeHtml(entry.title)}<span class="toc-page" data-for="${escapeHtml(entry.id)}"></span></a></li>`;
  });
  return `<nav class="toc" aria-labelledby="toc-title"><h1 id="toc-title">${w.say('contents')}</h1><ol>${entries.join('')}</ol></nav>`;
}

const styles = `
@page { size: A4; }
@page landscape { size: A4 landscape; }
.landscape { page: landscape; }
body { font-family: "IPAPGothic", "IPAGothic", "Noto Sans CJK JP", sans-serif; font-size: 10.5pt; line-height: 1.55; color: #0b0c0c; max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1, h2, h3 { line-height: 1.3; break-after: avoid; }
h1 { font-size: 18pt; border-bottom: 2px solid #0b0c0c; padding-bottom: 0.2em; }
h2 { font-size: 14pt; border-left: 6px solid #1d70b8; padding-left: 0.4em; margin-top: 2em; }
h3 { font-size: 12pt; border-bottom: 1px solid #b1b4b6; margin-top: 1.6em; }
.number { margin-right: 0.4em; }
.cover { text-align: center; padding: 30mm 0 20mm; }
.cover h1 { border: 0; font-size: 22pt; }
.part, .toc { break-before: page; }
.toc ol { list-style: none; padding: 0; }
.toc a { display: flex; color: inherit; text-decoration: none; }
.toc a::after { content: ""; }
.toc-page { margin-left: auto; padding-left: 1em; min-width: 2.5em; text-align: right; }
.toc-2 { padding-left: 1.5em; } .toc-3 { padding-left: 3em; font-size: 0.95em; }
figure { margin: 1em 0; break-inside: avoid; }
figcaption { font-size: 9pt; color: #505a5f; text-align: center; }
svg.shot, svg.step-shot, .diagram svg { display: block; max-width: 100%; height: auto; margin: 0 auto; border: 1px solid #b1b4b6; }
svg.shot { max-height: 225mm; width: auto; }
svg.step-shot { width: 70%; }
.frame { fill: none; stroke: #d4351c; stroke-width: 3; }
.badge rect { fill: #d4351c; }
.badge line { stroke: #d4351c; stroke-width: 1.5; }
.badge text { fill: #fff; font: bold 14px sans-serif; text-anchor: middle; }
svg.shot { border: 0; }
svg.shot image { outline: 1px solid #b1b4b6; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0; font-size: 9.5pt; }
th, td { border: 1px solid #b1b4b6; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
tr { break-inside: avoid; }
td.no, td.code { white-space: nowrap; }
ol.steps > li { margin-bottom: 0.8em; break-inside: avoid; }
.diagram { break-inside: avoid; }
.diagram svg { max-height: 150mm; width: 100%; }
`;

export function renderManual(input: RenderInput): string {
  const w = new Writer(input);
  const { model, lang } = input;
  const flows = model.chapters.slice(0, -1);
  const errors = model.chapters.at(-1);
  const body = [
    '<section class="part">',
    w.heading(1, 'sec-1', '1.', say('introduction', lang)),
    w.heading(2, 'sec-1-1', '1.1', say('aboutTitle', lang)),
    `<p>${w.say('about')}</p>`,
    '<section class="landscape">',
    w.heading(2, 'sec-1-2', '1.2', say('structureTitle', lang)),
    `<p>${w.say('structure')}</p>`,
    `<figure class="diagram">${input.diagram}</figure>`,
    '</section>',
    commonSection(w),
    '</section>',
    '<section class="part">',
    w.heading(1, 'sec-2', '2.', say('basicOperations', lang)),
    ...flows.map((chapter) => chapterSection(w, chapter, 2)),
    '</section>',
    '<section class="part">',
    errors ? w.heading(1, 'sec-3', '3.', errors.title[lang]) : '',
    errors ? `<p>${w.text(errors.intro)}</p>` : '',
    errorSection(w),
    ...(errors?.pages ?? []).map((page) => pageSection(w, page, 2)),
    '</section>',
  ].join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.say('documentTitle')}</title>
<style>${styles}</style>
</head>
<body>
<header class="cover">
<h1>${w.say('documentTitle')}</h1>
<p>${w.say('subtitle')}</p>
<p>${w.say('generated', { date: input.date })}</p>
</header>
${tocHtml(w)}
${body}
</body>
</html>
`;
}

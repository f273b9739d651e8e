/**
 * The generated manual as data, before any picture: its chapters (one per flow, chapters.ts), their
 * "how to" sequences (the machine's shortest path to each goal), the pages in path order with the
 * catalogue's items they show, the moves of the screen-transition diagram, and the error messages
 * with the pages where each can appear. Built from the machine, the catalogue and what the walk
 * saw on each page (`Rendition`: the page's HTML, read by html-scan.ts); the pictures ride along.
 *
 * `problems` lists every way the manual and the system disagree: a page state with no chapter, an
 * item on a page without a description for it, a description whose item is on no page, a move of
 * the machine the diagram lacks or cannot label, a page the walk did not show, an error code shown
 * nowhere. test/paths/manual-model.test.ts builds the model from the real pages and asserts none.
 */
import { sessionMachine } from '../machines/session.ts';
import type { ManualText } from '../src/flow/manual-items.ts';
import { limitedUrls } from '../src/flow/rate-limits.ts';
import { errorCatalogue, errorCodes } from '../src/i18n/errors.ts';
import { type Lang, langs } from '../src/i18n/lang.ts';
import { expectedCodes } from '../test/paths/journey.ts';
import {
  allRequests,
  pageOfValue,
  pages,
  type Request,
  shortestPaths,
  transitions,
} from '../test/paths/model.ts';
import { payloads, sampleFacts } from '../test/paths/payloads.ts';
import type { Catalogue } from './catalogue.ts';
import { chapters as allChapters, type Chapter } from './chapters.ts';
import { diagramDot, missingMoves } from './diagram.ts';
import type { FormField, ScannedPage } from './html-scan.ts';
import { errorPaths, type Variant } from './paths.ts';
import { say, type TextKey } from './text.ts';

/** A box on a screenshot, in its pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A screenshot of a page, and where its marked items and buttons are on it. */
export interface Shot {
  /** The full page, relative to the language's folder. */
  file: string;
  /** The first screen of it (the diagram's thumbnail). */
  thumb: string;
  width: number;
  height: number;
  /** Each element carrying items: its box and its item numbers. */
  marks: { items: string[]; box: Box }[];
  /** The button of each action. */
  buttons: Record<string, Box>;
}

/** A page as the walk saw it, in one language and one variant. */
export interface Rendition {
  scan: ScannedPage;
  shot?: Shot;
}

export const renditionKey = (lang: Lang, path: string, variant: Variant) => `${lang}|${path}|${variant}`;

export interface ItemRow {
  id: string;
  /** The number of its callout: `n` for the page's own section, `section-n` for another's. */
  label: string;
  name: ManualText;
  description: ManualText;
}

export interface PageModel {
  path: string;
  /** Section number, e.g. `2.3.3`. */
  number: string;
  title: ManualText;
  note?: ManualText;
  /** How the walk shows it: as it opens, and (a page with a form) with its errors. */
  variants: Variant[];
  items: Record<Variant, ItemRow[]>;
}

export interface StepModel {
  /** The page the step is taken on. */
  page: string;
  kind: 'move' | 'form' | 'link';
  action?: string;
  /** The fields filled in, in page order. */
  fields: string[];
}

export interface HowToModel {
  number: string;
  title: ManualText;
  goal: string;
  /** An earlier sequence this one starts with. */
  follows?: { number: string; title: ManualText };
  /** Where it starts, when it follows no other. */
  start?: string;
  steps: StepModel[];
}

export interface ChapterModel {
  key: string;
  number: string;
  title: ManualText;
  intro: ManualText;
  howTos: HowToModel[];
  pages: PageModel[];
}

/** Where a move of the diagram starts: a page, every page of a group (a compound state), or any page. */
export type MoveSource = { kind: 'page' | 'group'; path: string } | { kind: 'any' };

export interface MoveModel {
  /** `from|EVENT|to`: the edge's id in the diagram. */
  id: string;
  source: MoveSource;
  event: string;
  to: string;
  label: Record<Lang, string>;
}

export interface ErrorRow {
  code: string;
  text: ManualText;
  /** The page states that can show it. */
  pages: string[];
  /** Where else: the error page, in the manual's words. */
  elsewhere: { key: TextKey; pages?: string[] }[];
}

export interface ManualModel {
  chapters: ChapterModel[];
  pages: Map<string, PageModel>;
  /** The groups of pages (compound states) the diagram draws as frames. */
  groups: Map<string, string[]>;
  moves: MoveModel[];
  errors: ErrorRow[];
  problems: string[];
}

// ---------------------------------------------------------------------------------------------
// Paths and order

const signature = (requests: Request[]) => requests.map((r) => `${r.trigger.case}+${r.outcome?.case ?? ''}`);

/** The shortest way to a page: the shortest prefix of the shortest paths that ends there. */
export function wayTo(goal: string): Request[] {
  let best: Request[] | undefined;
  for (const path of shortestPaths()) {
    const at = path.requests.findIndex((r) => pageOfValue(r.to.value)?.path === goal);
    if (at >= 0 && (!best || at + 1 < best.length)) best = path.requests.slice(0, at + 1);
  }
  if (!best) throw new Error(`no path leads to ${goal}`);
  return best;
}

/** Pages in the order the shortest paths first come to them (the homepage first). */
function pathOrder(): string[] {
  const seen = new Map<string, [distance: number, order: number]>([['home', [0, 0]]]);
  for (const path of shortestPaths()) {
    path.requests.forEach((request, i) => {
      const page = pageOfValue(request.to.value)?.path;
      const known = page && seen.get(page);
      if (page && (!known || known[0] > i + 1)) seen.set(page, [i + 1, known ? known[1] : seen.size]);
    });
  }
  return [...seen].sort(([, a], [, b]) => a[0] - b[0] || a[1] - b[1]).map(([page]) => page);
}

/** A chapter's pages: those its "how to" sequences pass, in their order, then the rest in path order. */
function orderPages(chapter: Chapter, order: string[]): string[] {
  const listed = new Set(chapter.pages);
  const passed = chapter.howTos.flatMap(({ goal }) =>
    wayTo(goal).flatMap((r) => [pageOfValue(r.from.value)?.path, pageOfValue(r.to.value)?.path]),
  );
  const first = [...new Set(passed)].filter((page): page is string => !!page && listed.has(page));
  const rest = order.filter((page) => listed.has(page) && !first.includes(page));
  return [
    ...first,
    ...rest,
    ...chapter.pages.filter((page) => !first.includes(page) && !rest.includes(page)),
  ];
}

// ---------------------------------------------------------------------------------------------
// Pages and items

function itemRows(catalogue: Catalogue, path: string, variant: Variant): ItemRow[] {
  const page = catalogue.page(path);
  if (!page) return [];
  const ids = variant === 'errors' ? [...page.items, ...page.onError] : page.items;
  const place = (id: string) => {
    const cut = id.lastIndexOf('-');
    return [page.sections.indexOf(id.slice(0, cut)), Number(id.slice(cut + 1))] as const;
  };
  const sorted = [...new Set(ids)].sort((a, b) => place(a)[0] - place(b)[0] || place(a)[1] - place(b)[1]);
  return sorted.flatMap((id) => {
    const item = catalogue.item(id);
    if (!item) return [];
    const own = place(id)[0] === 0;
    return [{ id, label: own ? String(place(id)[1]) : id, name: item.name, description: item.description }];
  });
}

/** The pages an error path ends on: those shown with their errors too. */
const pagesWithErrors = (): Set<string> =>
  new Set(errorPaths().map((path) => pageOfValue(path.requests.at(-1)?.to.value)?.path ?? ''));

function pageModel(path: string, number: string, catalogue: Catalogue, withErrors: Set<string>): PageModel {
  const entry = catalogue.page(path);
  const variants: Variant[] = withErrors.has(path) ? ['clean', 'errors'] : ['clean'];
  return {
    path,
    number,
    title: entry?.title ?? { en: path, ja: path },
    ...(entry?.note ? { note: entry.note } : {}),
    variants,
    items: { clean: itemRows(catalogue, path, 'clean'), errors: itemRows(catalogue, path, 'errors') },
  };
}

// ---------------------------------------------------------------------------------------------
// How-to sequences

/**
 * What a reader knows a button by: its label, or, when another button of the page has the same
 * label (the homepage's Login and Registration buttons of the same category), the catalogue's name
 * of its item.
 */
export function buttonName(
  scan: ScannedPage | undefined,
  action: string,
  catalogue: Catalogue,
  lang: Lang,
): string | undefined {
  const button = scan?.actions.find((a) => a.action === action);
  if (!button) return undefined;
  const twins = (scan?.actions ?? []).filter((a) => a.label === button.label).length > 1;
  const item = twins ? button.items.map((id) => catalogue.item(id)).find(Boolean) : undefined;
  return item ? item.name[lang] : button.label;
}

function fieldsOf(request: Request, scan: ScannedPage | undefined): string[] {
  const { action, payload } = request.trigger;
  if (request.trigger.kind !== 'form' || !action) return [];
  const table = payloads[action as keyof typeof payloads];
  const sent = table?.valid.find((p) => p.name === payload)?.fields(sampleFacts);
  const names = new Set(Object.keys(sent ?? {}));
  return (scan?.fields ?? []).filter((field: FormField) => names.has(field.name)).map((field) => field.name);
}

function stepOf(request: Request, scanOf: (path: string) => ScannedPage | undefined): StepModel {
  const page = pageOfValue(request.from.value)?.path ?? '';
  const { kind, action } = request.trigger;
  if (kind === 'link') return { page, kind: 'link', fields: [] };
  const fields = fieldsOf(request, scanOf(page));
  return { page, kind: kind === 'form' ? 'form' : 'move', ...(action ? { action } : {}), fields };
}

function howToModels(
  chapter: Chapter,
  number: string,
  earlier: { number: string; title: ManualText; requests: Request[] }[],
  scanOf: (path: string) => ScannedPage | undefined,
): HowToModel[] {
  return chapter.howTos.map((howTo, i) => {
    const requests = wayTo(howTo.goal);
    const sig = signature(requests);
    // The longest earlier sequence this one starts with is referred to, not repeated.
    const follows = earlier
      .filter(
        (e) => e.requests.length < requests.length && signature(e.requests).every((s, j) => sig[j] === s),
      )
      .sort((a, b) => b.requests.length - a.requests.length)[0];
    const own = requests.slice(follows?.requests.length ?? 0);
    const model: HowToModel = {
      number: `${number}.${i + 1}`,
      title: howTo.title,
      goal: howTo.goal,
      ...(follows ? { follows: { number: follows.number, title: follows.title } } : { start: 'home' }),
      steps: own.map((request) => stepOf(request, scanOf)),
    };
    earlier.push({ number: model.number, title: howTo.title, requests });
    return model;
  });
}

// ---------------------------------------------------------------------------------------------
// Moves of the diagram

/** The engine's own moves, by event: no button makes them. */
const engineMoveText: Record<string, TextKey> = {
  INVALID_OPERATION: 'invalidOperationMove',
  SESSION_EXPIRED: 'timeoutMove',
};

/** Moves made by no button of the page: opening the emailed link, a choice from the picker's list. */
const buttonlessMoveText: Record<string, TextKey> = {
  OPEN_LINK: 'openLinkMove',
  OPEN_RESTORE_LINK: 'openLinkMove',
  SELECT_MUNICIPALITY: 'municipalityMove',
};

/** Compound states that hold pages: drawn as frames; a move they declare is drawn once, from the frame. */
function pageGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const page of pages.pages) {
    const cut = page.path.lastIndexOf('.');
    if (cut < 0) continue;
    const group = page.path.slice(0, cut);
    groups.set(group, [...(groups.get(group) ?? []), page.path]);
  }
  return groups;
}

/**
 * Every move between two different pages the machine can make (a side effect's state passed
 * through), by where it is declared: on a page, on a group of pages, or on the machine (any page).
 * Moves that stay on the page (errors shown, a prefecture chosen) are not drawn.
 */
export function machineMoves(): Omit<MoveModel, 'label'>[] {
  const found = new Map<string, Omit<MoveModel, 'label'>>();
  for (const request of allRequests()) {
    if (request.trigger.kind === 'invalid') continue;
    const from = pageOfValue(request.from.value)?.path;
    const to = pageOfValue(request.to.value)?.path;
    if (!from || !to || from === to) continue;
    const declared = request.transitions[0]?.split(' ')[0] ?? '';
    const source: MoveSource =
      declared === '*'
        ? { kind: 'any' }
        : pages.byPath.has(declared)
          ? { kind: 'page', path: from }
          : { kind: 'group', path: declared };
    const id = `${source.kind === 'any' ? '*' : source.path}|${request.trigger.type}|${to}`;
    found.set(id, { id, source, event: request.trigger.type, to });
  }
  return [...found.values()];
}

// ---------------------------------------------------------------------------------------------
// Error messages

/** The code the machine shows when a side effect fails unexpectedly (`showSystemError`). */
const systemError = 'WZBAM900E';

/**
 * Codes the service answers with its error page instead of a page of the flow
 * (src/flow/error-pages.ts, src/flow/rate-limits.ts, src/flow/cross-site.ts, src/errors.ts).
 */
const errorPageCodes: Record<string, ErrorRow['elsewhere'][number]> = {
  WZBAM320E: {
    key: 'limitedPages',
    pages: [...limitedUrls(sessionMachine, pages)].map((url) => pages.byUrl.get(url)?.path ?? url),
  },
  WZBAM330E: { key: 'crossSite' },
  WZBAM331E: { key: 'foreignBody' },
  WZBAM900E: { key: 'systemDown' },
  WZBAM901E: { key: 'anyForm' },
  WZBAM902E: { key: 'unknownUrl' },
};

function errorRows(): ErrorRow[] {
  const shownOn = new Map<string, Set<string>>();
  const add = (code: string, page: string | undefined) => {
    if (page) shownOn.set(code, (shownOn.get(code) ?? new Set()).add(page));
  };
  for (const request of allRequests()) {
    for (const code of expectedCodes(request)) add(code, pageOfValue(request.to.value)?.path);
  }
  for (const transition of transitions) {
    if (!transition.event.startsWith('error(')) continue;
    for (const target of transition.targets) add(systemError, pages.byPath.get(target)?.path);
  }
  const order = pathOrder();
  return errorCodes.map((code) => ({
    code,
    text: errorCatalogue[code],
    pages: [...(shownOn.get(code) ?? [])].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
    elsewhere: errorPageCodes[code] ? [errorPageCodes[code]] : [],
  }));
}

// ---------------------------------------------------------------------------------------------
// The model and its problems

export interface ManualInput {
  catalogue: Catalogue;
  /** The chapters (chapters.ts unless given). */
  chapters?: Chapter[];
  /** What the walk saw, by `renditionKey`. */
  renditions: Map<string, Rendition>;
}

function moveLabels(
  move: Omit<MoveModel, 'label'>,
  groups: Map<string, string[]>,
  scanOf: (lang: Lang, path: string) => ScannedPage | undefined,
  catalogue: Catalogue,
): Record<Lang, string> {
  const label = (lang: Lang): string => {
    if (move.source.kind === 'any') {
      const key = engineMoveText[move.event];
      return key ? say(key, lang) : '';
    }
    const fixed = buttonlessMoveText[move.event];
    if (fixed) return say(fixed, lang);
    const from = move.source.kind === 'group' ? (groups.get(move.source.path) ?? []) : [move.source.path];
    for (const path of from) {
      const name = buttonName(scanOf(lang, path), move.event, catalogue, lang);
      if (name) return name;
    }
    return '';
  };
  return { ja: label('ja'), en: label('en') };
}

function chapterProblems(chapters: Chapter[]): string[] {
  const problems: string[] = [];
  const chapterOf = new Map<string, string[]>();
  for (const chapter of chapters) {
    for (const path of chapter.pages) chapterOf.set(path, [...(chapterOf.get(path) ?? []), chapter.key]);
  }
  for (const page of pages.pages) {
    const found = chapterOf.get(page.path) ?? [];
    if (found.length === 0) problems.push(`page state ${page.path} has no chapter`);
    if (found.length > 1) problems.push(`page state ${page.path} is in chapters ${found.join(', ')}`);
  }
  for (const path of chapterOf.keys()) {
    if (!pages.byPath.has(path)) problems.push(`chapter page ${path} is no page state of the machine`);
  }
  for (const chapter of chapters) {
    for (const { goal } of chapter.howTos) {
      if (!pages.byPath.has(goal)) problems.push(`"how to" goal ${goal} is no page state of the machine`);
    }
  }
  return problems;
}

function itemProblems(model: ManualModel, input: ManualInput): string[] {
  const problems: string[] = [];
  const shownAnywhere = new Set<string>();
  for (const page of model.pages.values()) {
    for (const variant of page.variants) {
      const described = new Set(page.items[variant].map((item) => item.id));
      for (const lang of langs) {
        const rendition = input.renditions.get(renditionKey(lang, page.path, variant));
        if (!rendition) {
          problems.push(`${page.path} (${variant}, ${lang}) was not shown by the walk`);
          continue;
        }
        const shown = new Set(rendition.scan.items);
        for (const id of shown) {
          shownAnywhere.add(id);
          if (!described.has(id))
            problems.push(`item ${id} on ${page.path} (${variant}, ${lang}) has no description`);
        }
        for (const id of described) {
          if (!shown.has(id))
            problems.push(`description of ${id} on ${page.path} (${variant}, ${lang}) has no item`);
        }
      }
    }
  }
  for (const id of input.catalogue.itemIds()) {
    if (!shownAnywhere.has(id)) problems.push(`description of ${id} has no item on any page`);
  }
  return problems;
}

function moveProblems(model: ManualModel): string[] {
  return model.moves.flatMap((move) =>
    langs.filter((lang) => !move.label[lang]).map((lang) => `move ${move.id} has no label in ${lang}`),
  );
}

/** Moves the drawn diagram lacks (in either language). */
function diagramProblems(model: ManualModel): string[] {
  return langs.flatMap((lang) =>
    missingMoves(model, diagramDot(model, lang)).map((id) => `the diagram (${lang}) misses the move ${id}`),
  );
}

function errorProblems(model: ManualModel): string[] {
  return model.errors
    .filter((row) => row.pages.length === 0 && row.elsewhere.length === 0)
    .map((row) => `error ${row.code} is shown on no page`);
}

export function buildManual(input: ManualInput): ManualModel {
  const chapters = input.chapters ?? allChapters;
  const scanOf = (lang: Lang, path: string) => input.renditions.get(renditionKey(lang, path, 'clean'))?.scan;
  const order = pathOrder();
  const withErrors = pagesWithErrors();
  const earlier: { number: string; title: ManualText; requests: Request[] }[] = [];
  const modelPages = new Map<string, PageModel>();
  const chapterModels = chapters.map((chapter, c): ChapterModel => {
    // Chapter 1 is the introduction; the last flow (errors) is chapter 3 with the error list first.
    const isErrors = c === chapters.length - 1;
    const number = isErrors ? '3' : `2.${c + 1}`;
    const howTos = howToModels(chapter, number, earlier, (path) => scanOf('en', path));
    const firstPage = isErrors ? 2 : howTos.length + 1;
    const pageModels = orderPages(chapter, order).map((path, i) => {
      const model = pageModel(path, `${number}.${firstPage + i}`, input.catalogue, withErrors);
      modelPages.set(path, model);
      return model;
    });
    return {
      key: chapter.key,
      number,
      title: chapter.title,
      intro: chapter.intro,
      howTos,
      pages: pageModels,
    };
  });
  const groups = pageGroups();
  const moves = machineMoves().map((move) => ({
    ...move,
    label: moveLabels(move, groups, scanOf, input.catalogue),
  }));
  const model: ManualModel = {
    chapters: chapterModels,
    pages: modelPages,
    groups,
    moves,
    errors: errorRows(),
    problems: [],
  };
  model.problems = [
    ...chapterProblems(chapters),
    ...itemProblems(model, input),
    ...moveProblems(model),
    ...diagramProblems(model),
    ...errorProblems(model),
  ];
  return model;
}

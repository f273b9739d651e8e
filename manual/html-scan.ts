/**
 * What the manual reads off a rendered page (the HTML the service sent, or Chromium's DOM of it):
 * the manual's item numbers it carries (`data-manual-item`), the buttons that move the flow (their
 * action, label and item numbers) and the form fields (their name and label). A small tree builder
 * for the service's own HTML, so the model can be built without a browser.
 */

const voidTags = new Set([
  'area',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'wbr',
]);
const rawTextTags = new Set(['script', 'style']);

interface Element {
  tag: string;
  attrs: Record<string, string>;
  parent?: Element;
  children: (Element | string)[];
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return String.fromCodePoint(code);
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

function attributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [, name, double, single, bare] of source.matchAll(
    /([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g,
  )) {
    if (name) attrs[name.toLowerCase()] = decode(double ?? single ?? bare ?? '');
  }
  return attrs;
}

/** The element tree of a page (comments left out; the content of scripts and styles is one text). */
function parse(html: string): Element {
  const root: Element = { tag: '#root', attrs: {}, children: [] };
  let open = root;
  const tokens = /<!--[\s\S]*?-->|<![^>]*>|<(\/?)([a-z][\w-]*)((?:"[^"]*"|'[^']*'|[^>"'])*)>|([^<]+|<)/gi;
  for (let token = tokens.exec(html); token; token = tokens.exec(html)) {
    const [, closing, name, attrSource, text] = token;
    if (text !== undefined) {
      open.children.push(decode(text));
      continue;
    }
    if (name === undefined) continue; // a comment or the doctype
    const tag = name.toLowerCase();
    if (closing) {
      for (let element: Element | undefined = open; element && element !== root; element = element.parent) {
        if (element.tag !== tag) continue;
        open = element.parent ?? root;
        break;
      }
      continue;
    }
    const element: Element = { tag, attrs: attributes(attrSource ?? ''), parent: open, children: [] };
    open.children.push(element);
    if (voidTags.has(tag) || attrSource?.trimEnd().endsWith('/')) continue;
    open = element;
    if (rawTextTags.has(tag)) {
      const end = html.toLowerCase().indexOf(`</${tag}`, tokens.lastIndex);
      const stop = end < 0 ? html.length : end;
      element.children.push(html.slice(tokens.lastIndex, stop));
      tokens.lastIndex = stop;
    }
  }
  return root;
}

function* descendants(element: Element): Generator<Element> {
  for (const child of element.children) {
    if (typeof child === 'string') continue;
    yield child;
    yield* descendants(child);
  }
}

const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The element's text, as a reader sees it. */
function textOf(element: Element): string {
  const parts: string[] = [];
  const visit = (node: Element) => {
    for (const child of node.children) {
      if (typeof child === 'string') parts.push(child);
      else visit(child);
    }
  };
  visit(element);
  return squeeze(parts.join(''));
}

/** Only the element's own text, not its children's: a label without its "Required" and "!" marks. */
function ownText(element: Element): string {
  return squeeze(element.children.filter((child) => typeof child === 'string').join(''));
}

/** The manual's item numbers on the element or, failing that, its nearest marked ancestor. */
function itemsOf(element: Element): string[] {
  for (let node: Element | undefined = element; node; node = node.parent) {
    const marks = node.attrs['data-manual-item'];
    if (marks) return marks.split(/\s+/).filter(Boolean);
  }
  return [];
}

export interface ActionButton {
  /** The event it posts (`_action`). */
  action: string;
  label: string;
  /** The manual's item numbers of the button (or of what holds it). */
  items: string[];
}

export interface FormField {
  name: string;
  label: string;
  /** Not typed in: chosen another way (the address, with the Search button). */
  hidden: boolean;
  /** For a hidden field: the label of the button that chooses it (the button of its labelled group). */
  chosenWith?: string;
}

export interface ScannedPage {
  /** The page's heading. */
  title: string;
  /** Every item number on the page, each once, in page order. */
  items: string[];
  /** The buttons that post an action, first one of each action in page order. */
  actions: ActionButton[];
  fields: FormField[];
}

function actionButtons(elements: Element[]): ActionButton[] {
  const found = new Map<string, ActionButton>();
  for (const element of elements) {
    const { name, value } = element.attrs;
    if (element.tag !== 'button' || name !== '_action' || !value) continue;
    if (element.attrs['aria-hidden'] === 'true' || found.has(value)) continue;
    found.set(value, { action: value, label: textOf(element), items: itemsOf(element) });
  }
  return [...found.values()];
}

/** The field's label: `<label for>`, else its fieldset's legend, else its labelled group's label. */
function labelOf(field: Element, elements: Element[], byId: Map<string, Element>): string {
  const id = field.attrs.id;
  const label = id ? elements.find((e) => e.tag === 'label' && e.attrs.for === id) : undefined;
  if (label) return ownText(label);
  for (let node = field.parent; node; node = node.parent) {
    const legend =
      node.tag === 'fieldset'
        ? node.children.find((c) => typeof c !== 'string' && c.tag === 'legend')
        : undefined;
    if (legend && typeof legend !== 'string') return ownText(legend);
    const labelledBy = node.attrs['aria-labelledby'];
    const named = labelledBy ? byId.get(labelledBy.split(/\s+/)[0] ?? '') : undefined;
    if (named) return ownText(named);
  }
  return '';
}

/** The button in the same labelled group as a hidden field: what chooses its value. */
function chooserOf(field: Element): string | undefined {
  for (let node = field.parent; node; node = node.parent) {
    if (!node.attrs['aria-labelledby']) continue;
    const button = [...descendants(node)].find((e) => e.tag === 'button' && e.attrs.name === '_action');
    return button && textOf(button);
  }
  return undefined;
}

function formFields(elements: Element[]): FormField[] {
  const byId = new Map(elements.filter((e) => e.attrs.id).map((e) => [e.attrs.id as string, e]));
  const fields = new Map<string, FormField>();
  for (const element of elements) {
    const name = element.attrs.name;
    if (!['input', 'select', 'textarea'].includes(element.tag) || !name || name.startsWith('_')) continue;
    if (fields.has(name)) continue;
    const hidden = element.attrs.type === 'hidden';
    const label = labelOf(element, elements, byId);
    if (!label) continue;
    const chosenWith = hidden ? chooserOf(element) : undefined;
    fields.set(name, { name, label, hidden, ...(chosenWith ? { chosenWith } : {}) });
  }
  return [...fields.values()];
}

export function scanPage(html: string): ScannedPage {
  const elements = [...descendants(parse(html))];
  const main = elements.find((e) => e.tag === 'main');
  const inMain = main ? [...descendants(main)] : elements;
  const heading = inMain.find((e) => e.tag === 'h1');
  const items = new Set(
    elements.flatMap((e) => e.attrs['data-manual-item']?.split(/\s+/).filter(Boolean) ?? []),
  );
  return {
    title: heading ? textOf(heading) : '',
    items: [...items],
    actions: actionButtons(elements),
    fields: formFields(elements),
  };
}

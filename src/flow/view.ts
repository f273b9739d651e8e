/**
 * Renders a page state: the state's template with one view model, so templates never build a URL
 * or a sentence themselves — text by key, errors by code, URLs from the machine.
 */
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AnyMachineSnapshot } from 'xstate';
import type { FieldError, SessionContext, SessionEvent } from '../../machines/session.ts';
import { errorMessage } from '../i18n/errors.ts';
import { formatDateTime } from '../i18n/format.ts';
import type { Lang } from '../i18n/lang.ts';
import { translate } from '../i18n/messages.ts';
import { agencyLinks } from './agency-links.ts';
import { type EndVariant, variantParam } from './engine.ts';
import { type PageState, renderUrl } from './pages.ts';

export interface PageLoad {
  lang: Lang;
  context: SessionContext;
}

/** Data a page needs beyond the session (notices, the user's record, address lists), by template. */
export type Loaders = Partial<Record<string, (load: PageLoad) => Promise<Record<string, unknown>>>>;

export interface ViewOptions {
  loaders: Loaders;
  /** Idle timeout, for the warning shown two minutes before it. */
  idleSeconds: number;
  helpdesk: { tel: string; email: string };
}

function formView(errors: FieldError[], values: Record<string, string>) {
  const fields = new Set(errors.map((error) => error.field).filter(Boolean));
  // Each field's label key, told by the field as it renders: the page body renders before the layout,
  // so the error summary can name every field the way its page labels it.
  const labels = new Map<string, string>();
  return {
    values,
    errors,
    value: (field: string) => values[field] ?? '',
    hasError: (field: string) => fields.has(field),
    // every field error that names this field, for aria-describedby
    errorsOf: (field: string) => errors.filter((error) => error.field === field),
    labelled: (field: string, key: string) => {
      labels.set(field, key);
    },
    /** The error summary's lines: each error once, with the label key of its field when it has one. */
    summary: () => {
      const seen = new Set<string>();
      return errors.flatMap((error) => {
        const key = `${error.field ?? ''} ${error.code}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [{ ...error, label: error.field ? labels.get(error.field) : undefined }];
      });
    },
  };
}

/**
 * The attribute that marks an element as numbered items of the manual (`2.2.2-5`, see
 * src/flow/manual-items.ts), or nothing when no item is given.
 */
export function manualMark(...items: (string | undefined)[]): string {
  // literals of the templates, split and checked anyway: nothing but item numbers goes into the attribute
  const given = items
    .flatMap((item) => item?.split(' ') ?? [])
    .filter((item) => /^\d+(\.\d+)*-\d+$/.test(item))
    .join(' ');
  return given ? ` data-manual-item="${given}"` : '';
}

/** What a page is rendered from: the engine's render outcome. */
export interface Render {
  page: PageState;
  snapshot: AnyMachineSnapshot;
  step: string | null;
  /** The render's key, null without a session. */
  key: number | null;
  variant?: EndVariant;
}

/** The URL of this render (its key, or a terminal page's variant, kept), for the language switch. */
function hrefOf({ page, key, variant }: Render): string {
  if (key !== null) return renderUrl(page, key);
  return variant ? `${page.meta.url}?${variantParam}=${variant}` : page.meta.url;
}

export function viewModel(
  request: FastifyRequest,
  shown: Render,
  options: ViewOptions,
  data: Record<string, unknown>,
) {
  const { page, snapshot, step, key } = shown;
  const lang = request.lang;
  const context = snapshot.context as SessionContext;
  const { errors, values } = context.form;
  return {
    lang,
    otherLang: lang === 'ja' ? 'en' : 'ja',
    t: (key: string, params?: Record<string, string>) => translate(key, lang, params),
    error: (code: string) => errorMessage(code, lang),
    mark: manualMark,
    page: { ...page.meta, path: page.path, href: hrefOf(shown) },
    /** Which wording of a terminal page (the invalid-operation page for a visitor), if another. */
    variant: shown.variant ?? null,
    /** Whether the page's state takes this move: a template shared by states offers only what each takes. */
    can: (type: SessionEvent['type']) => snapshot.can({ type } as SessionEvent),
    step,
    form: formView(errors, values),
    user: context.user,
    lastLogin: formatDateTime(context.user?.previousLoginAt ?? null),
    notifiedEmail: context.notifiedEmail,
    link: context.link,
    restoreLink: context.restoreLink ?? null,
    searchPrefecture: context.searchPrefecture,
    helpdesk: options.helpdesk,
    links: agencyLinks,
    // only pages of a live session count down to a timeout
    idleSeconds: key !== null ? options.idleSeconds : null,
    data,
  };
}

export type ViewModel = ReturnType<typeof viewModel>;

export function createRenderer(options: ViewOptions) {
  return async function renderPage(request: FastifyRequest, reply: FastifyReply, shown: Render) {
    const { page, snapshot } = shown;
    const load = options.loaders[page.meta.template];
    const context = snapshot.context as SessionContext;
    const data = load ? await load({ lang: request.lang, context }) : {};
    const model = viewModel(request, shown, options, data);
    return reply.type('text/html; charset=utf-8').viewAsync(`${page.meta.template}.eta`, model);
  };
}

export type RenderPage = ReturnType<typeof createRenderer>;

/**
 * Eta for the page templates, resolving each template path once: Eta joins the paths and builds a
 * JSON cache key on every render and include (3 % of a page's CPU). Resolution depends on names
 * only, never on files, so it holds for the process; a path outside `views` is refused each time.
 */
export function pageTemplates(views: string, cache: boolean): Eta {
  const eta = new Eta({ views, cache });
  const resolve = eta.resolvePath;
  const resolved = new Map<string, string>();
  eta.resolvePath = function resolveOnce(template, options) {
    const key = `${options?.filepath ?? ''}\0${template}`;
    let path = resolved.get(key);
    if (path === undefined) {
      path = resolve.call(this, template, options);
      resolved.set(key, path);
    }
    return path;
  };
  return eta;
}

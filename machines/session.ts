/**
 * The per-session machine: every page of the account portal is a state, every button an event.
 *
 * Pure by design: no I/O and no import from src/. The side effects (verify a password, write a
 * user, enqueue an email) are named promise actors whose implementations src/ supplies with
 * `.provide()`. Page states declare their URL and template in `meta`; the engine, the diagrams
 * and the generated path tests all read them from here.
 */
import { assign, fromPromise, setup } from 'xstate';

/** A validation or outcome message: an error code from the catalogue, optionally tied to a field. */
export interface FieldError {
  code: string;
  field?: string;
}

/** The half-entered values of the page's form; passwords are never kept here. */
export type FormValues = Record<string, string>;

export interface SignedInUser {
  /** Database key. */
  id: string;
  /** The user ID the person logs in with. */
  userId: string;
  name: string;
  /** The time of the login before this one, ISO 8601, or null on the first login. */
  previousLoginAt: string | null;
  /** The user's credential epoch when the password was verified (bumped by every new password). */
  credentialEpoch: number;
}

export interface SessionContext {
  user: SignedInUser | null;
  /** Values and errors of the form on the current page (kept across Back and Search). */
  form: { values: FormValues; errors: FieldError[] };
  /** Which address list the Search picker shows: a prefecture code, or null for the prefectures. */
  searchPrefecture: string | null;
  /** What a completion page reports: the address the notification goes to; null when none is sent. */
  notifiedEmail: string | null;
  /** The verified emailed link being used on the Password Registration page. */
  link: { tokenId: string; userId: string; purpose: 'register' | 'reset' } | null;
  /**
   * The checked restore link on its confirmation page: the token's row, and the address it puts
   * back as the page shows it (masked by src/). Opening the link only checks it; the button restores.
   */
  restoreLink: { tokenId: string; shownEmail: string } | null;
  /** Bumped whenever the session's privilege changes, so the engine issues a new session id. */
  authEpoch: number;
}

/** The page and email languages (manual 2.1.3 item 1): the effects write in the user's. */
export const langs = ['ja', 'en'] as const;
export type Lang = (typeof langs)[number];

/** Who a side effect works for: the engine puts it on the event that starts one. */
export interface EffectRequest {
  sessionId: string | null;
  lang: Lang;
  ip: string;
}

/** Buttons and links that move between pages and carry nothing (REGISTER confirms what was entered). */
export const moveEvents = [
  'GO_LOGIN',
  'GO_REGISTER',
  'GO_FORGOT_PASSWORD',
  'GO_USER_INFO',
  'GO_CHANGE_USER_INFO',
  'GO_CHANGE_PASSWORD',
  'BACK',
  'HOME',
  'BACK_TO_LOGIN',
  'BACK_TO_USER_INFO',
  'LOGOUT',
  'REGISTER',
  // beyond the manual: the button on the confirmation page the restore link opens
  'RESTORE_EMAIL',
] as const;

const registrationValues = [
  'name',
  'sex',
  'birthDate',
  'municipalityCode',
  'street',
  'phone',
  'email',
  'emailConfirm',
] as const;
/** What Search and the postal-code lookup keep of an address form: every field either form has. */
const addressFormValues = [...registrationValues, 'postalCode'] as const;

/**
 * The forms, by the event each posts: the fields it carries, validated by the form's schema
 * (src/flow/forms.ts, which a test holds to this list). `values` are kept on the page; `secrets`
 * (passwords) go to the side effect and are never stored; `confirms` are posted and checked but
 * not carried; `choice` is the one value a picker button sends.
 */
export const formEvents = {
  LOGIN: { values: ['userId'], secrets: ['password'] },
  CONFIRM_REGISTRATION: { values: registrationValues },
  CHANGE_USER_INFO: { values: ['municipalityCode', 'street', 'phone', 'email', 'emailConfirm'] },
  CHANGE_PASSWORD: {
    values: [],
    secrets: ['currentPassword', 'newPassword'],
    confirms: ['newPasswordConfirm'],
  },
  SEND_RESET: { values: ['userId', 'email'] },
  SET_PASSWORD: { values: [], secrets: ['password'], confirms: ['passwordConfirm'] },
  // the address Search picker (manual 1.4 item 5), and beyond the manual the postal-code box beside it
  SEARCH: { values: addressFormValues },
  LOOKUP_POSTAL_CODE: { values: addressFormValues },
  SELECT_PREFECTURE: { choice: 'prefecture' },
  SELECT_MUNICIPALITY: { choice: 'municipalityCode' },
} as const;

export type MoveEventType = (typeof moveEvents)[number];
export type FormEventType = keyof typeof formEvents;
/** The form events, in the list's order (the keys of the literal above, exactly). */
export const formEventTypes = Object.keys(formEvents) as FormEventType[];

type Names<T> = T extends readonly (infer N extends string)[] ? N : never;
type Spec<K extends FormEventType> = (typeof formEvents)[K];
type ValueNames<K extends FormEventType> = Names<Spec<K> extends { values: infer V } ? V : never>;
type SecretPart<K extends FormEventType> =
  Spec<K> extends { secrets: unknown } ? { secrets: SecretsOf<K> } : unknown;
type Named<K extends FormEventType, Key extends string> = Names<
  Spec<K> extends { [P in Key]: infer N } ? N : never
>;
/** Every field a form posts: what its event carries and the confirmations it checks. */
export type FormFieldName<K extends FormEventType> =
  | ValueNames<K>
  | Named<K, 'secrets'>
  | Named<K, 'confirms'>
  | (Spec<K> extends { choice: infer C extends string } ? C : never);
export type SecretsOf<K extends FormEventType> = Record<Named<K, 'secrets'>, string>;

/** A form's event, from the list: its values (those given) and secrets (all), or its one choice. */
export type FormEventOf<K extends FormEventType> =
  Spec<K> extends { choice: infer C extends string }
    ? { type: K } & { [P in C]: string }
    : { type: K; values: Partial<Record<ValueNames<K>, string>> } & SecretPart<K>;

export type SessionEvent = (
  | { type: MoveEventType }
  | { [K in FormEventType]: FormEventOf<K> }[FormEventType]
  // a form that failed its schema: the same page again, with the errors and the input kept
  | { type: 'INVALID'; errors: FieldError[]; values: FormValues }
  // entered from outside a page
  | { type: 'OPEN_LINK'; token: string }
  /** Beyond the manual: the link in the notice to the former address, which undoes an email change. */
  | { type: 'OPEN_RESTORE_LINK'; token: string }
  | { type: 'SESSION_EXPIRED' }
  | { type: 'INVALID_OPERATION' }
) & { request?: EffectRequest };

export type Secrets = Record<string, string>;

/**
 * Events only the engine sends: a page never posts them (a validation result, an emailed link,
 * the session's end). A client posting one is out of sequence.
 */
export const engineEvents = [
  'INVALID',
  'OPEN_LINK',
  'OPEN_RESTORE_LINK',
  'SESSION_EXPIRED',
  'INVALID_OPERATION',
] as const;

/** The events an emailed link starts a fresh session with (a GET of its entry page with a token). */
export type EntryEvent = 'OPEN_LINK' | 'OPEN_RESTORE_LINK';

/** What a page may post: the moves and the forms, from the two lists above. */
export const postableEvents: readonly (MoveEventType | FormEventType)[] = [...moveEvents, ...formEventTypes];

/**
 * What every side-effect actor answers. On success it may report the signed-in user, the verified
 * link, or the address a notification went to; on failure, the coded errors to show on the page.
 */
export type Outcome =
  | {
      ok: true;
      user?: SignedInUser;
      link?: NonNullable<SessionContext['link']>;
      restoreLink?: NonNullable<SessionContext['restoreLink']>;
      notifiedEmail?: string | null;
    }
  /** `accountLocked`: too many wrong passwords locked the account; a signed-in session then ends. */
  | { ok: false; errors: FieldError[]; accountLocked?: boolean };

/** Page state metadata: where the page lives and which template renders it. */
export interface PageMeta {
  url: string;
  template: string;
  /** Process steps shown at the top of the page (manual 1.4 item 1): the flow and this page's step. */
  steps?: { flow: string; current: number };
  /** Pages shown after the session has ended; they render without a session. */
  terminal?: boolean;
  /** A URL opened from an email: the event a fresh session is started with, and its query key. */
  entry?: { event: EntryEvent; query: 'token' };
  /** Pages only a signed-in user sees. */
  signedIn?: boolean;
}

const emptyForm = { values: {}, errors: [] };

function page(meta: PageMeta): { meta: PageMeta } {
  return { meta };
}

/** Placeholder for a side effect; src/ supplies the real one with `.provide()`. */
function notProvided(name: string) {
  return fromPromise<Outcome, EffectInput>(async () => {
    throw new Error(`actor "${name}" was not provided`);
  });
}

/**
 * What a side effect is given: the session's user and form, the secrets of the event and the
 * request it runs for (null only when the machine is driven without the engine, as the graph tools do).
 */
export interface EffectInput {
  user: SignedInUser | null;
  link: SessionContext['link'];
  restoreLink: SessionContext['restoreLink'];
  values: FormValues;
  secrets: Secrets;
  token?: string;
  request: EffectRequest | null;
}

/** The side effects the machine names; src/ must provide every one (its `.provide()` is typed so). */
export const effectNames = [
  'authenticate',
  'registerUser',
  'updateUserInfo',
  'changePassword',
  'requestPasswordReset',
  'verifyLink',
  'setPassword',
  'checkRestoreLink',
  'restoreEmail',
] as const;
export type EffectName = (typeof effectNames)[number];

export const sessionSetup = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
  },
  actors: {
    authenticate: notProvided('authenticate'),
    registerUser: notProvided('registerUser'),
    updateUserInfo: notProvided('updateUserInfo'),
    changePassword: notProvided('changePassword'),
    requestPasswordReset: notProvided('requestPasswordReset'),
    verifyLink: notProvided('verifyLink'),
    setPassword: notProvided('setPassword'),
    checkRestoreLink: notProvided('checkRestoreLink'),
    restoreEmail: notProvided('restoreEmail'),
  } satisfies Record<EffectName, unknown>,
  guards: {
    succeeded: ({ event }) => 'output' in event && (event.output as Outcome).ok,
    accountLocked: ({ event }) => {
      const output = 'output' in event ? (event.output as Outcome) : undefined;
      return output?.ok === false && output.accountLocked === true;
    },
  },
  actions: {
    clearForm: assign({ form: emptyForm, searchPrefecture: null }),
    /** A bad choice in the Search picker: its error, the half-entered form underneath kept. */
    showPickerErrors: assign({
      form: ({ context, event }) => ({
        values: context.form.values,
        errors: event.type === 'INVALID' ? event.errors : [],
      }),
    }),
    showErrors: assign({
      form: ({ event }) =>
        event.type === 'INVALID' ? { values: event.values, errors: event.errors } : emptyForm,
    }),
    keepValues: assign({
      form: ({ event, context }) => ({
        values: 'values' in event ? event.values : context.form.values,
        errors: [],
      }),
    }),
    /** A side effect refused (wrong password, rule broken): the same page, its errors, the input kept. */
    showFailure: assign({
      form: ({ context, event }) => {
        const output = 'output' in event ? (event.output as Outcome) : undefined;
        return { values: context.form.values, errors: output && !output.ok ? output.errors : [] };
      },
    }),
    /** A side effect failed unexpectedly (database down): a coded system error, the input kept. */
    showSystemError: assign({
      form: ({ context }) => ({ values: context.form.values, errors: [{ code: 'WZBAM900E' }] }),
    }),
    /** A side effect succeeded: take what it reports into the session. */
    applyOutcome: assign(({ context, event }) => {
      const output = (event as unknown as { output: Outcome }).output;
      if (!output.ok) return {};
      const privilegeChanged =
        output.user !== undefined || output.link !== undefined || output.restoreLink !== undefined;
      return {
        user: output.user ?? context.user,
        link: output.link ?? context.link,
        restoreLink: output.restoreLink ?? context.restoreLink,
        // null: nothing was notified (a change other than the email address, manual 2.4.1)
        notifiedEmail: output.notifiedEmail === undefined ? context.notifiedEmail : output.notifiedEmail,
        authEpoch: context.authEpoch + (privilegeChanged ? 1 : 0),
      };
    }),
    /** The Search picker always opens on the list of prefectures. */
    openPicker: assign({ searchPrefecture: null }),
    choosePrefecture: assign({
      searchPrefecture: ({ event }) => (event.type === 'SELECT_PREFECTURE' ? event.prefecture : null),
      form: ({ context }) => ({ values: context.form.values, errors: [] }),
    }),
    chooseMunicipality: assign({
      form: ({ context, event }) => ({
        values: {
          ...context.form.values,
          municipalityCode: event.type === 'SELECT_MUNICIPALITY' ? event.municipalityCode : '',
        },
        errors: [],
      }),
      searchPrefecture: null,
    }),
    /** A new password ends the privilege of the old session id. */
    rotateSession: assign({ authEpoch: ({ context }) => context.authEpoch + 1, link: null }),
    forgetLink: assign({ link: null, restoreLink: null }),
  },
});

/**
 * A state that runs one side effect and leaves on its outcome. Tagged `busy`: the engine waits
 * until a snapshot has no busy state before persisting it, so an in-flight promise is never stored.
 */
function effect(
  src: EffectName,
  outcome: {
    done: string;
    failed: string;
    doneActions?: ('clearForm' | 'rotateSession')[];
    /** Where an answer that the account is locked goes (it is a failure otherwise). */
    locked?: string;
  },
) {
  const locked = outcome.locked ? [{ guard: 'accountLocked' as const, target: outcome.locked }] : [];
  return {
    tags: ['busy'] as const,
    invoke: {
      src,
      input: ({ context, event }: { context: SessionContext; event: SessionEvent }): EffectInput => ({
        user: context.user,
        link: context.link,
        restoreLink: context.restoreLink,
        values: context.form.values,
        secrets: 'secrets' in event ? event.secrets : {},
        token: event.type === 'OPEN_LINK' || event.type === 'OPEN_RESTORE_LINK' ? event.token : undefined,
        request: event.request ?? null,
      }),
      onDone: [
        {
          guard: 'succeeded',
          target: outcome.done,
          actions: [...(outcome.doneActions ?? []), 'applyOutcome'],
        },
        ...locked,
        { target: outcome.failed, actions: 'showFailure' },
      ],
      onError: { target: outcome.failed, actions: 'showSystemError' },
    },
  } as const;
}

/** The form page of a flow: its submit event goes to `next`, a failed schema shows the page again. */
function formPage(meta: PageMeta, self: string, submit: SessionEvent['type'], next: string, extra = {}) {
  return {
    ...page(meta),
    on: {
      [submit]: { target: next, actions: 'keepValues' },
      INVALID: { target: self, actions: 'showErrors' },
      ...extra,
    },
  } as const;
}

/**
 * How a form page's address is entered: Search opens the picker (manual 1.4 item 5) with the form
 * as typed; the postal-code lookup beside it shows the form again with the address filled in.
 */
function addressEntry(self: string, picker: string) {
  return {
    SEARCH: { target: picker, actions: ['keepValues', 'openPicker'] },
    LOOKUP_POSTAL_CODE: { target: self, actions: 'keepValues' },
  } as const;
}

/** The address Search picker (manual 1.4 item 5): prefecture, then municipality, back to the form. */
function addressSearch(meta: PageMeta, self: string, form: string) {
  return {
    ...page(meta),
    on: {
      SELECT_PREFECTURE: { target: self, actions: 'choosePrefecture' },
      SELECT_MUNICIPALITY: { target: form, actions: 'chooseMunicipality' },
      INVALID: { target: self, actions: 'showPickerErrors' },
      BACK: { target: form, actions: 'keepValues' },
    },
  } as const;
}

export const sessionMachine = sessionSetup.createMachine({
  id: 'session',
  initial: 'home',
  context: {
    user: null,
    form: emptyForm,
    searchPrefecture: null,
    notifiedEmail: null,
    link: null,
    restoreLink: null,
    authEpoch: 0,
  },
  on: {
    INVALID_OPERATION: { target: '.invalidOperation' },
    SESSION_EXPIRED: { target: '.timedOut' },
  },
  states: {
    // 2.1 Homepage
    home: {
      ...page({ url: '/', template: 'home' }),
      entry: 'clearForm',
      on: {
        GO_LOGIN: { target: 'login' },
        GO_REGISTER: { target: 'registration' },
        OPEN_LINK: { target: 'checkingLink' },
        OPEN_RESTORE_LINK: { target: 'checkingRestoreLink' },
      },
    },

    // 2.2 Authentication
    login: formPage({ url: '/login', template: 'login' }, 'login', 'LOGIN', 'authenticating', {
      GO_FORGOT_PASSWORD: { target: 'forgotPassword', actions: 'clearForm' },
      HOME: { target: 'home' },
    }),
    authenticating: effect('authenticate', { done: 'signedIn', failed: 'login', doneActions: ['clearForm'] }),

    // 2.1.2 User registration: input → confirmation → completion; the password is set from the email
    registration: {
      initial: 'input',
      on: { HOME: { target: '#session.home' } },
      states: {
        input: formPage(
          { url: '/register', template: 'registrationInput', steps: { flow: 'registration', current: 1 } },
          'input',
          'CONFIRM_REGISTRATION',
          'confirm',
          addressEntry('input', 'addressSearch'),
        ),
        addressSearch: addressSearch(
          {
            url: '/register/address',
            template: 'addressSearch',
            steps: { flow: 'registration', current: 1 },
          },
          'addressSearch',
          'input',
        ),
        confirm: {
          ...page({
            url: '/register/confirm',
            template: 'registrationConfirm',
            steps: { flow: 'registration', current: 2 },
          }),
          on: {
            REGISTER: { target: 'registering' },
            BACK: { target: 'input', actions: 'keepValues' },
          },
        },
        registering: effect('registerUser', {
          done: 'complete',
          failed: 'input',
          doneActions: ['clearForm'],
        }),
        complete: page({
          url: '/register/complete',
          template: 'registrationComplete',
          steps: { flow: 'registration', current: 3 },
        }),
      },
    },

    // 2.5 Forgotten password: User Information Confirmation → Confirmation Completion
    forgotPassword: formPage(
      { url: '/password/forgot', template: 'forgotPassword', steps: { flow: 'reset', current: 1 } },
      'forgotPassword',
      'SEND_RESET',
      'requestingReset',
      { BACK: { target: 'login', actions: 'clearForm' }, HOME: { target: 'home' } },
    ),
    requestingReset: effect('requestPasswordReset', {
      done: 'resetRequested',
      failed: 'forgotPassword',
      doneActions: ['clearForm'],
    }),
    resetRequested: {
      ...page({
        url: '/password/forgot/sent',
        template: 'resetRequested',
        steps: { flow: 'reset', current: 2 },
      }),
      on: { BACK_TO_LOGIN: { target: 'login', actions: 'clearForm' } },
    },

    // 2.5.1 The emailed link: Password Registration → completion
    checkingLink: effect('verifyLink', { done: 'passwordRegistration', failed: 'linkInvalid' }),
    linkInvalid: {
      ...page({ url: '/password/link-invalid', template: 'linkInvalid' }),
      on: { HOME: { target: 'home' } },
    },
    passwordRegistration: formPage(
      {
        url: '/password/register',
        template: 'passwordRegistration',
        entry: { event: 'OPEN_LINK', query: 'token' },
        steps: { flow: 'passwordRegistration', current: 1 },
      },
      'passwordRegistration',
      'SET_PASSWORD',
      'settingPassword',
      { HOME: { target: 'home', actions: 'forgetLink' } },
    ),
    settingPassword: effect('setPassword', {
      done: 'passwordRegistered',
      failed: 'passwordRegistration',
      doneActions: ['clearForm', 'rotateSession'],
    }),
    passwordRegistered: {
      ...page({
        url: '/password/registered',
        template: 'passwordRegistered',
        steps: { flow: 'passwordRegistration', current: 2 },
      }),
      on: { BACK_TO_LOGIN: { target: 'login', actions: 'clearForm' } },
    },

    // Beyond the manual: the link in the notice to the former address undoes an email change made
    // with a stolen session. Opening it only checks it and asks: mail scanners open links in
    // advance, and a restore ends every session of the user. The button puts the address back.
    checkingRestoreLink: effect('checkRestoreLink', { done: 'restoreConfirm', failed: 'restoreFailed' }),
    restoreConfirm: {
      ...page({
        url: '/email/restore',
        template: 'restoreConfirm',
        entry: { event: 'OPEN_RESTORE_LINK', query: 'token' },
      }),
      on: {
        RESTORE_EMAIL: { target: 'restoringEmail' },
        HOME: { target: 'home', actions: 'forgetLink' },
      },
    },
    restoringEmail: effect('restoreEmail', { done: 'emailRestored', failed: 'restoreFailed' }),
    emailRestored: {
      ...page({ url: '/email/restored', template: 'emailRestored' }),
      entry: 'forgetLink',
      on: { BACK_TO_LOGIN: { target: 'login', actions: 'clearForm' } },
    },
    restoreFailed: {
      ...page({ url: '/email/restore-failed', template: 'restoreFailed' }),
      entry: 'forgetLink',
      on: { HOME: { target: 'home' } },
    },

    // After login: 2.3 Menu and 2.4 User information management
    signedIn: {
      initial: 'menu',
      on: { LOGOUT: { target: '#session.loggedOut' } },
      states: {
        menu: {
          ...page({ url: '/menu', template: 'menu', signedIn: true }),
          on: { GO_USER_INFO: { target: 'userInfo' } },
        },
        userInfo: {
          ...page({ url: '/user-info', template: 'userInfo', signedIn: true }),
          entry: 'clearForm',
          on: {
            GO_CHANGE_USER_INFO: { target: 'changeUserInfo' },
            GO_CHANGE_PASSWORD: { target: 'changePassword' },
            BACK: { target: 'menu' },
          },
        },
        changeUserInfo: formPage(
          {
            url: '/user-info/change',
            template: 'changeUserInfo',
            signedIn: true,
            steps: { flow: 'changeUserInfo', current: 1 },
          },
          'changeUserInfo',
          'CHANGE_USER_INFO',
          'updatingUserInfo',
          { ...addressEntry('changeUserInfo', 'addressSearch'), BACK: { target: 'userInfo' } },
        ),
        addressSearch: addressSearch(
          {
            url: '/user-info/change/address',
            template: 'addressSearch',
            signedIn: true,
            steps: { flow: 'changeUserInfo', current: 1 },
          },
          'addressSearch',
          'changeUserInfo',
        ),
        updatingUserInfo: effect('updateUserInfo', {
          done: 'userInfoUpdated',
          failed: 'changeUserInfo',
          doneActions: ['clearForm'],
        }),
        userInfoUpdated: {
          ...page({
            url: '/user-info/updated',
            template: 'userInfoUpdated',
            signedIn: true,
            steps: { flow: 'changeUserInfo', current: 2 },
          }),
          on: { BACK_TO_USER_INFO: { target: 'userInfo' } },
        },
        changePassword: formPage(
          {
            url: '/password/change',
            template: 'changePassword',
            signedIn: true,
            steps: { flow: 'changePassword', current: 1 },
          },
          'changePassword',
          'CHANGE_PASSWORD',
          'changingPassword',
          { BACK: { target: 'userInfo' } },
        ),
        changingPassword: effect('changePassword', {
          done: 'passwordChanged',
          failed: 'changePassword',
          doneActions: ['clearForm', 'rotateSession'],
          locked: '#session.accountLocked',
        }),
        passwordChanged: {
          ...page({
            url: '/password/changed',
            template: 'passwordChanged',
            signedIn: true,
            steps: { flow: 'changePassword', current: 2 },
          }),
          on: { BACK_TO_USER_INFO: { target: 'userInfo' } },
        },
      },
    },

    // Where a session ends; these pages render without one.
    loggedOut: { type: 'final', ...page({ url: '/logged-out', template: 'loggedOut', terminal: true }) },
    invalidOperation: {
      type: 'final',
      ...page({ url: '/invalid-operation', template: 'invalidOperation', terminal: true }),
    },
    timedOut: { type: 'final', ...page({ url: '/timed-out', template: 'timedOut', terminal: true }) },
    // too many wrong current passwords on the Password Input page locked the account
    accountLocked: {
      type: 'final',
      ...page({ url: '/account-locked', template: 'accountLocked', terminal: true }),
    },
  },
});

export type SessionMachine = typeof sessionMachine;

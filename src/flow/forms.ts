/**
 * One schema per form event of the session machine: a raw POST body (from @fastify/formbody:
 * values are strings, arrays of strings for repeated fields, or missing) becomes either the values
 * and secrets the event carries, or the coded field errors to show on the same page.
 *
 * Each schema is a declarative table, in page order, of its fields (how a value is normalized,
 * which rule judges it, whether it is a secret) plus the cross-field checks of the form. `values`
 * hold what the user entered, normalized as it will be saved (so the page shows it back), only for
 * the fields that were given, and never a password; `secrets` go to the side effect only.
 *
 * zod is not used here: a failed zod parse yields no output, while a failed form must still give
 * back every normalized value, and the errors must be catalogue codes tied to fields.
 */
import {
  type FieldError,
  type FormEventType,
  type FormFieldName,
  type FormValues,
  formEvents,
  type Secrets,
  type SecretsOf,
  type SessionEvent,
} from '../../machines/session.ts';
import {
  fillFromPostalCode,
  municipalityError,
  normalizePostalCode,
  prefecture,
  streetWithTown,
} from '../domain/address.ts';
import {
  birthDateError,
  emailError,
  nameError,
  normalizeBirthDate,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  normalizeSex,
  normalizeStreet,
  normalizeUserId,
  passwordError,
  phoneError,
  sexError,
  streetError,
  toHalfWidth,
  userIdError,
} from '../domain/rules.ts';
import type { ErrorCode } from '../i18n/errors.ts';
import type { Lang } from '../i18n/lang.ts';

export type { FormEventType };

export interface FormContext {
  /** The user the password belongs to (signed in, or named by the emailed link). */
  userId?: string;
  lang: Lang;
}

export type FormResult =
  | { ok: true; values: FormValues; secrets: Secrets }
  | { ok: false; values: FormValues; errors: FieldError[] };

export type FormBody = Record<string, unknown>;
/** A form's schema: the body → its values and secrets, or the errors; with the fields it reads. */
export type FormSchema = ((body: FormBody, ctx: FormContext) => FormResult) & {
  /** The fields kept on the page. */
  valueFields: readonly string[];
  /** The passwords: carried to the side effect, or only checked (a confirmation). */
  secretFields: readonly string[];
};

// ---------------------------------------------------------------------------------------------
// Reading the body

/** No field is read beyond this many characters: a 1 MB field costs no more than this. */
export const FIELD_CAP = 1000;

/** One posted value: repeated fields take the first; anything but a string is "not given". */
function posted(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, name)) return '';
  const raw = (body as FormBody)[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return typeof first === 'string' ? first.slice(0, FIELD_CAP) : '';
}

/**
 * The names of the fields no page's form sends as they are: repeated (every form names each field
 * once) or longer than FIELD_CAP (every input's maxlength is far below it). A tampered request, to
 * be logged; the schema still answers it with coded messages. Names only, a few, each cut short.
 */
export function tamperedFields(body: FormBody): string[] {
  return Object.entries(body)
    .filter(([, value]) => Array.isArray(value) || (typeof value === 'string' && value.length > FIELD_CAP))
    .slice(0, 10)
    .map(([name]) => name.slice(0, 40));
}

/** Control and invisible formatting characters (tabs, newlines, zero-width spaces, BOM) are dropped. */
function cleanText(value: string): string {
  return value.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
}

// ---------------------------------------------------------------------------------------------
// Fields

interface Field {
  /** A password: judged as typed (not trimmed or cleaned), never put in `values`. */
  secret?: boolean;
  /** What is kept and saved; the cleaned input when absent. */
  normalize?: (value: string) => string;
  /** The rule a given value must keep. */
  rule?: (value: string, ctx: FormContext) => ErrorCode | null;
  /** The code when a required field is not given: WZBAM001E unless stated. */
  missing?: ErrorCode;
}

const secret: Field = { secret: true };
const newPassword: Field = { secret: true, rule: (value, ctx) => passwordError(value, ctx.userId) };
const userId: Field = { normalize: normalizeUserId, rule: userIdError };
const email: Field = { normalize: normalizeEmail, rule: emailError };
const emailConfirm: Field = { normalize: normalizeEmail };
const street: Field = { normalize: normalizeStreet, rule: streetError };
const phone: Field = { normalize: normalizePhone, rule: phoneError };
/** The municipality is only chosen with the Search button, so a missing one gets the manual's Search prompt. */
const municipalityCode: Field = {
  normalize: (value) => toHalfWidth(value),
  rule: municipalityError,
  missing: 'WZBAM090E',
};

const registrationFields = {
  name: { normalize: normalizeName, rule: nameError },
  sex: { normalize: normalizeSex, rule: sexError },
  birthDate: { normalize: normalizeBirthDate, rule: (value: string) => birthDateError(value) },
  municipalityCode,
  street,
  phone,
  email,
  emailConfirm,
} satisfies Record<string, Field>;

const userInfoFields = { municipalityCode, street, phone, email, emailConfirm } satisfies Record<
  string,
  Field
>;

/** The optional box beside Search: a valid code is kept as 100-0001, anything else as typed. */
const postalCode: Field = {
  normalize: (value) => normalizePostalCode(value)?.replace(/^(\d{3})/, '$1-') ?? value,
};

/** What Search and the postal-code lookup keep of an address form: every field either form has. */
const addressFormFields = { ...registrationFields, postalCode } satisfies Record<string, Field>;

// ---------------------------------------------------------------------------------------------
// Forms

interface Input {
  values: FormValues;
  secrets: Secrets;
  /** Whether the field was given (for secrets: anything but blanks). */
  given: (name: string) => boolean;
}

interface Schema<F extends string = string> {
  fields: Record<F, Field>;
  /** Every field required (true), or none of them (false: at least one must be given, else WZBAM245E). */
  required: boolean;
  /** Checks across fields, run after the fields' own rules. */
  checks?: ((input: Input) => FieldError[])[];
}

function read(body: unknown, fields: Record<string, Field>): Input {
  const values: FormValues = {};
  const secrets: Secrets = {};
  for (const [name, field] of Object.entries(fields)) {
    const raw = posted(body, name);
    if (field.secret) {
      secrets[name] = raw;
      continue;
    }
    const text = cleanText(raw);
    if (text !== '') values[name] = field.normalize ? field.normalize(text) : text;
  }
  const given = (name: string) => (values[name] ?? secrets[name] ?? '').trim() !== '';
  return { values, secrets, given };
}

function fieldError(name: string, field: Field, input: Input, required: boolean, ctx: FormContext) {
  if (!input.given(name)) return required ? (field.missing ?? 'WZBAM001E') : null;
  const value = (field.secret ? input.secrets[name] : input.values[name]) ?? '';
  return field.rule?.(value, ctx) ?? null;
}

function fieldErrors(schema: Schema, input: Input, ctx: FormContext): FieldError[] {
  return Object.entries<Field>(schema.fields).flatMap(([name, field]) => {
    const code = fieldError(name, field, input, schema.required, ctx);
    return code ? [{ code, field: name }] : [];
  });
}

/** Two fields that belong together: the other one is required once either is given. */
function together(a: string, b: string, fields: Record<string, Field>) {
  return (input: Input): FieldError[] => {
    if (input.given(a) === input.given(b)) return [];
    const name = input.given(a) ? b : a;
    return [{ code: fields[name]?.missing ?? 'WZBAM001E', field: name }];
  };
}

/** When both are given, `b` must equal `a` (else `code` on `b`); with `differ`, it must not. */
function compare(a: string, b: string, code: ErrorCode, differ = false) {
  return (input: Input): FieldError[] => {
    if (!input.given(a) || !input.given(b)) return [];
    const same = (input.values[a] ?? input.secrets[a]) === (input.values[b] ?? input.secrets[b]);
    return same === differ ? [{ code, field: b }] : [];
  };
}

/** Validates a body; the event carries the secrets `carried` names (the confirmations stay behind). */
function validate(schema: Schema, body: unknown, ctx: FormContext, carried: readonly string[]): FormResult {
  const input = read(body, schema.fields);
  const { values } = input;
  if (!schema.required && !Object.keys(schema.fields).some(input.given)) {
    return { ok: false, values, errors: [{ code: 'WZBAM245E' }] };
  }
  const errors = [
    ...fieldErrors(schema, input, ctx),
    ...(schema.checks ?? []).flatMap((check) => check(input)),
  ];
  if (errors.length > 0) return { ok: false, values, errors };
  return {
    ok: true,
    values,
    secrets: Object.fromEntries(carried.map((name) => [name, input.secrets[name] ?? ''])),
  };
}

/** Search keeps whatever of the form being edited was posted, normalized, and judges nothing. */
function search(body: unknown): FormResult {
  return { ok: true, values: read(body, addressFormFields).values, secrets: {} };
}

/**
 * The postal-code lookup keeps the form as typed, like Search, and judges only the code: a known
 * one fills in the municipality and puts the town at the start of the street.
 */
function lookupPostalCode(body: unknown): FormResult {
  const { values } = read(body, addressFormFields);
  const fill = fillFromPostalCode(values.postalCode ?? '');
  if (!fill.ok) return { ok: false, values, errors: [{ code: fill.code, field: 'postalCode' }] };
  const street = streetWithTown(values.street ?? '', fill.townJa);
  const filled = { ...values, municipalityCode: fill.municipalityCode, ...(street ? { street } : {}) };
  return { ok: true, values: filled, secrets: {} };
}

/**
 * A schema reading `fields`. A body nothing can be read from (a getter that throws, say) is
 * reported, never thrown.
 */
function reading(
  fields: Record<string, Field>,
  run: (body: unknown, ctx: FormContext) => FormResult,
): FormSchema {
  const schema = (body: FormBody, ctx: FormContext): FormResult => {
    try {
      return run(body, ctx);
    } catch {
      return { ok: false, values: {}, errors: [{ code: 'WZBAM901E' }] };
    }
  };
  const names = (secret: boolean) =>
    Object.entries(fields)
      .filter(([, field]) => Boolean(field.secret) === secret)
      .map(([name]) => name);
  return Object.assign(schema, { valueFields: names(false), secretFields: names(true) });
}

/** The form of event `type`: its fields are the ones the machine's list gives the event. */
function form<K extends FormEventType>(type: K, schema: Schema<FormFieldName<K>>): FormSchema {
  const spec = formEvents[type];
  const carried: readonly string[] = 'secrets' in spec ? spec.secrets : [];
  return reading(schema.fields, (body, ctx) => validate(schema, body, ctx, carried));
}

export const forms: { [K in FormEventType]: FormSchema } = {
  // 2.2: presence only; the password rule is not checked at login
  LOGIN: form('LOGIN', { fields: { userId, password: secret }, required: true }),
  // 2.1.2: every field required
  CONFIRM_REGISTRATION: form('CONFIRM_REGISTRATION', {
    fields: registrationFields,
    required: true,
    checks: [compare('email', 'emailConfirm', 'WZBAM032E')],
  }),
  // 2.4.3: each field optional, at least one given. The address is one change: the prefecture and
  // municipality (Search) and the street are given together, as are the email and its confirmation.
  CHANGE_USER_INFO: form('CHANGE_USER_INFO', {
    fields: userInfoFields,
    required: false,
    checks: [
      together('municipalityCode', 'street', userInfoFields),
      together('email', 'emailConfirm', userInfoFields),
      compare('email', 'emailConfirm', 'WZBAM032E'),
    ],
  }),
  // 2.4.7
  CHANGE_PASSWORD: form('CHANGE_PASSWORD', {
    fields: { currentPassword: secret, newPassword, newPasswordConfirm: secret },
    required: true,
    checks: [
      compare('newPassword', 'newPasswordConfirm', 'WZBAM026E'),
      compare('currentPassword', 'newPassword', 'WZBAM024E', true),
    ],
  }),
  // 2.5.2
  SEND_RESET: form('SEND_RESET', { fields: { userId, email }, required: true }),
  // 2.5.1: the password set from the emailed link
  SET_PASSWORD: form('SET_PASSWORD', {
    fields: { password: newPassword, passwordConfirm: secret },
    required: true,
    checks: [compare('password', 'passwordConfirm', 'WZBAM026E')],
  }),
  // the address picker: the codes come from lists the server rendered, so a wrong one is tampering
  SELECT_PREFECTURE: form('SELECT_PREFECTURE', {
    fields: { prefecture: { rule: (code) => (prefecture(code) ? null : 'WZBAM091E'), missing: 'WZBAM091E' } },
    required: true,
  }),
  SELECT_MUNICIPALITY: form('SELECT_MUNICIPALITY', {
    fields: { municipalityCode: { ...municipalityCode, missing: 'WZBAM091E' } },
    required: true,
  }),
  SEARCH: reading(addressFormFields, search),
  LOOKUP_POSTAL_CODE: reading(addressFormFields, lookupPostalCode),
};

export function isFormEvent(type: string): type is FormEventType {
  return Object.hasOwn(forms, type);
}

/** The event to send the machine for a posted form: the real one, or INVALID with the errors. */
export function formEvent(type: FormEventType, body: FormBody, ctx: FormContext): SessionEvent {
  const result = forms[type](body, ctx);
  if (!result.ok) return { type: 'INVALID', errors: result.errors, values: result.values };
  const { values, secrets } = result;
  switch (type) {
    // validate carried exactly the secrets the machine's list gives each of these events
    case 'LOGIN':
      return { type, values, secrets: secrets as SecretsOf<'LOGIN'> };
    case 'CHANGE_PASSWORD':
      return { type, values, secrets: secrets as SecretsOf<'CHANGE_PASSWORD'> };
    case 'SET_PASSWORD':
      return { type, values, secrets: secrets as SecretsOf<'SET_PASSWORD'> };
    case 'SELECT_PREFECTURE':
      return { type, prefecture: values.prefecture ?? '' };
    case 'SELECT_MUNICIPALITY':
      return { type, municipalityCode: values.municipalityCode ?? '' };
    default:
      return { type, values };
  }
}

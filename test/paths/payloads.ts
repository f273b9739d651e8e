/**
 * What the generated paths type into each form: per form event, the valid payloads and, for every
 * field rule of src/flow/forms.ts, at least one invalid payload with the errors it must produce.
 *
 * The engine turns an invalid form into the machine's INVALID event, so every invalid payload here
 * becomes an INVALID step on the page that posts the form. Valid payloads are functions of `Facts`:
 * the data of the account the replay created or read from the real emails of its path.
 *
 * To add a payload: add a row below. The path suite checks each row against the form's schema
 * (the errors listed must be exactly the errors it gives) and replays it on every page that
 * posts that form; a new rule that no row breaks makes the suite fail.
 */
import type { FormEventType } from '../../src/flow/forms.ts';

export type Fields = Record<string, string>;

/** What a payload may be made of: the account in play on the path, and fresh values for this step. */
export interface Facts {
  /** The user ID of the account (for SET_PASSWORD: of the user the emailed link belongs to). */
  userId: string;
  /** Its current password. */
  password: string;
  /** Its email address. */
  email: string;
  /** A valid password it has never had. */
  newPassword: string;
  /** An email address nobody uses. */
  freshEmail: string;
}

export interface Payload {
  name: string;
  fields: (facts: Facts) => Fields;
}

export interface InvalidPayload extends Payload {
  /** The errors the form's schema must answer with: `[field, code]`, field null for a form-level one. */
  errors: [field: string | null, code: string][];
}

export interface FormPayloads {
  valid: Payload[];
  invalid: InvalidPayload[];
}

/** The facts of a made-up account, for generating paths without a server. */
export const sampleFacts: Facts = {
  userId: 'samplu12345',
  password: 'Sample#pass42',
  email: 'samplu12345@example.com',
  newPassword: 'Kasumi#gaseki7',
  freshEmail: 'fresh-sample@example.com',
};

const registration = (facts: Facts): Fields => ({
  name: 'TEST MADOGUCHI',
  sex: 'female',
  birthDate: '1990-04-01',
  municipalityCode: '13101',
  street: '霞が関１－１－１',
  phone: '0312345678',
  email: facts.freshEmail,
  emailConfirm: facts.freshEmail,
});

type Changes = Record<string, string | undefined> | ((facts: Facts) => Record<string, string | undefined>);
type FormWith = (changes: Changes) => (facts: Facts) => Fields;

const changesOf = (changes: Changes, facts: Facts) =>
  typeof changes === 'function' ? changes(facts) : changes;

/** The registration form with some fields changed (or dropped, when the value is undefined). */
const registrationWith: FormWith = (changes) => (facts) => {
  const fields = { ...registration(facts) };
  for (const [name, value] of Object.entries(changesOf(changes, facts))) {
    if (value === undefined) delete fields[name];
    else fields[name] = value;
  }
  return fields;
};

/**
 * A user-information change of just these fields, with what must come with them: the street with
 * the municipality (one address), the email with its confirmation.
 */
const userInfoWith: FormWith = (changes) => (facts) => {
  const fields = Object.fromEntries(
    Object.entries(changesOf(changes, facts)).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  if (fields.street && !fields.municipalityCode) fields.municipalityCode = '27128';
  if (fields.municipalityCode && !fields.street) fields.street = '大手前２－１－２２';
  if (fields.email && !fields.emailConfirm) fields.emailConfirm = fields.email;
  return fields;
};

const fixed = (fields: Fields) => () => fields;

/** An invalid payload and the errors it must give. */
const bad = (
  name: string,
  fields: Payload['fields'],
  ...errors: InvalidPayload['errors']
): InvalidPayload => ({
  name,
  fields,
  errors,
});

const tooLongEmail = `${'a'.repeat(50)}@example.com`;
const unknownMunicipality = '99999';

/** The rules of the contact fields both forms have (address, phone, email), each broken once. */
function contactCases(formWith: FormWith): InvalidPayload[] {
  const cases: [name: string, changes: Changes, field: string, code: string][] = [
    ['municipality-unknown', { municipalityCode: unknownMunicipality }, 'municipalityCode', 'WZBAM091E'],
    ['street-too-long', { street: '霞'.repeat(81) }, 'street', 'WZBAM050E'],
    ['street-not-2-byte', { street: 'Café 1-1' }, 'street', 'WZBAM051E'],
    ['phone-not-digits', { phone: '03-1234-abcd' }, 'phone', 'WZBAM040E'],
    ['phone-too-short', { phone: '12345' }, 'phone', 'WZBAM041E'],
    ['phone-too-long', { phone: '0312345678901' }, 'phone', 'WZBAM041E'],
    ['email-malformed', { email: 'madoguchi.example.com' }, 'email', 'WZBAM030E'],
    ['email-too-long', { email: tooLongEmail }, 'email', 'WZBAM031E'],
    [
      'email-confirmation-differs',
      (f) => ({ email: f.freshEmail, emailConfirm: 'someone-else@example.com' }),
      'emailConfirm',
      'WZBAM032E',
    ],
  ];
  return cases.map(([name, changes, field, code]) =>
    bad(
      name,
      formWith((facts) => {
        const changed = changesOf(changes, facts);
        // An address typed twice the same: only the confirmation case differs on purpose.
        return changed.email && !changed.emailConfirm ? { ...changed, emailConfirm: changed.email } : changed;
      }),
      [field, code],
    ),
  );
}

/** A new password of each broken kind, with the confirmation typed the same. */
function newPasswordCases(
  newField: string,
  confirmField: string,
  base: (facts: Facts) => Fields,
): InvalidPayload[] {
  const withNew = (value: (facts: Facts) => string) => (facts: Facts) => ({
    ...base(facts),
    [newField]: value(facts),
    [confirmField]: value(facts),
  });
  return [
    bad(
      `${newField}-too-short`,
      withNew(() => 'Ab#1'),
      [newField, 'WZBAM020E'],
    ),
    bad(
      `${newField}-not-1-byte`,
      withNew(() => 'Kasumi gaseki#7'),
      [newField, 'WZBAM022E'],
    ),
    bad(
      `${newField}-no-symbol`,
      withNew(() => 'Kasumigaseki7'),
      [newField, 'WZBAM021E'],
    ),
    bad(
      `${newField}-contains-user-id`,
      withNew((facts) => `${facts.userId}#Q`),
      [newField, 'WZBAM023E'],
    ),
    bad(
      `${newField}-common`,
      withNew(() => 'Passw0rd!'),
      [newField, 'WZBAM027E'],
    ),
    bad(
      `${confirmField}-differs`,
      (facts) => ({ ...base(facts), [newField]: facts.newPassword, [confirmField]: 'Other#pass99' }),
      [confirmField, 'WZBAM026E'],
    ),
  ];
}

export const payloads: Record<FormEventType, FormPayloads> = {
  LOGIN: {
    valid: [{ name: 'valid', fields: (f) => ({ userId: f.userId, password: f.password }) }],
    invalid: [
      bad('nothing-given', fixed({}), ['userId', 'WZBAM001E'], ['password', 'WZBAM001E']),
      bad('no-password', (f) => ({ userId: f.userId }), ['password', 'WZBAM001E']),
      bad('user-id-malformed', fixed({ userId: 'ab', password: 'Whatever#1' }), ['userId', 'WZBAM010E']),
    ],
  },

  CONFIRM_REGISTRATION: {
    valid: [{ name: 'valid', fields: registration }],
    invalid: [
      bad(
        'nothing-given',
        fixed({}),
        ...(['name', 'sex', 'birthDate', 'street', 'phone', 'email', 'emailConfirm'] as const).map(
          (field): [string, string] => [field, 'WZBAM001E'],
        ),
        ['municipalityCode', 'WZBAM090E'],
      ),
      bad('name-not-roman', registrationWith({ name: '窓口 太郎' }), ['name', 'WZBAM060E']),
      bad('name-too-long', registrationWith({ name: 'A'.repeat(61) }), ['name', 'WZBAM061E']),
      bad('sex-unknown', registrationWith({ sex: 'other' }), ['sex', 'WZBAM070E']),
      bad('birth-date-not-a-date', registrationWith({ birthDate: '2023-02-29' }), ['birthDate', 'WZBAM080E']),
      bad('birth-date-future', registrationWith({ birthDate: '2999-01-01' }), ['birthDate', 'WZBAM081E']),
      bad('municipality-not-searched', registrationWith({ municipalityCode: undefined }), [
        'municipalityCode',
        'WZBAM090E',
      ]),
      ...contactCases(registrationWith),
    ],
  },

  CHANGE_USER_INFO: {
    valid: [
      { name: 'phone', fields: fixed({ phone: '0398765432' }) },
      { name: 'address', fields: fixed({ municipalityCode: '27128', street: '大手前２－１－２２' }) },
      { name: 'email', fields: (f) => ({ email: f.freshEmail, emailConfirm: f.freshEmail }) },
    ],
    invalid: [
      bad('nothing-given', fixed({}), [null, 'WZBAM245E']),
      bad('street-without-municipality', fixed({ street: '大手前２－１－２２' }), [
        'municipalityCode',
        'WZBAM090E',
      ]),
      bad('municipality-without-street', fixed({ municipalityCode: '27128' }), ['street', 'WZBAM001E']),
      bad('email-without-confirmation', (f) => ({ email: f.freshEmail }), ['emailConfirm', 'WZBAM001E']),
      ...contactCases(userInfoWith),
    ],
  },

  CHANGE_PASSWORD: {
    valid: [
      {
        name: 'valid',
        fields: (f) => ({
          currentPassword: f.password,
          newPassword: f.newPassword,
          newPasswordConfirm: f.newPassword,
        }),
      },
    ],
    invalid: [
      bad(
        'nothing-given',
        fixed({}),
        ['currentPassword', 'WZBAM001E'],
        ['newPassword', 'WZBAM001E'],
        ['newPasswordConfirm', 'WZBAM001E'],
      ),
      ...newPasswordCases('newPassword', 'newPasswordConfirm', (f) => ({ currentPassword: f.password })),
      bad(
        'new-same-as-current',
        (f) => ({ currentPassword: f.password, newPassword: f.password, newPasswordConfirm: f.password }),
        ['newPassword', 'WZBAM024E'],
      ),
    ],
  },

  SEND_RESET: {
    valid: [
      { name: 'registered-pair', fields: (f) => ({ userId: f.userId, email: f.email }) },
      { name: 'unknown-pair', fields: (f) => ({ userId: f.userId, email: f.freshEmail }) },
    ],
    invalid: [
      bad('nothing-given', fixed({}), ['userId', 'WZBAM001E'], ['email', 'WZBAM001E']),
      bad('user-id-malformed', (f) => ({ userId: 'x!', email: f.email }), ['userId', 'WZBAM010E']),
      bad('email-malformed', (f) => ({ userId: f.userId, email: 'no-at-sign' }), ['email', 'WZBAM030E']),
      bad('email-too-long', (f) => ({ userId: f.userId, email: tooLongEmail }), ['email', 'WZBAM031E']),
    ],
  },

  SET_PASSWORD: {
    valid: [{ name: 'valid', fields: (f) => ({ password: f.newPassword, passwordConfirm: f.newPassword }) }],
    invalid: [
      bad('nothing-given', fixed({}), ['password', 'WZBAM001E'], ['passwordConfirm', 'WZBAM001E']),
      ...newPasswordCases('password', 'passwordConfirm', () => ({})),
    ],
  },

  // Search submits the form as typed and judges nothing: it has no invalid payload.
  SEARCH: {
    valid: [{ name: 'as-typed', fields: fixed({ name: 'TEST MADOGUCHI', phone: '0312345678' }) }],
    invalid: [],
  },

  // The postal-code box beside Search keeps the form as typed and judges only the code.
  LOOKUP_POSTAL_CODE: {
    valid: [
      { name: 'known-code', fields: fixed({ postalCode: '100-0013', phone: '0312345678' }) },
      { name: 'full-width-code', fields: fixed({ postalCode: '１００－０００１' }) },
    ],
    invalid: [
      bad('none-given', fixed({ street: '１－１－１' }), ['postalCode', 'WZBAM110E']),
      bad('malformed', fixed({ postalCode: '100-001' }), ['postalCode', 'WZBAM110E']),
      bad('unknown', fixed({ postalCode: '999-9999' }), ['postalCode', 'WZBAM111E']),
      bad('several-municipalities', fixed({ postalCode: '206-0000' }), ['postalCode', 'WZBAM112E']),
    ],
  },

  // The picker's codes come from lists the server rendered: a wrong one is tampering.
  SELECT_PREFECTURE: {
    valid: [{ name: 'tokyo', fields: fixed({ prefecture: '13' }) }],
    invalid: [
      bad('none-chosen', fixed({}), ['prefecture', 'WZBAM091E']),
      bad('unknown', fixed({ prefecture: '48' }), ['prefecture', 'WZBAM091E']),
    ],
  },
  SELECT_MUNICIPALITY: {
    valid: [{ name: 'chiyoda', fields: fixed({ municipalityCode: '13101' }) }],
    invalid: [
      bad('none-chosen', fixed({}), ['municipalityCode', 'WZBAM091E']),
      bad('unknown', fixed({ municipalityCode: unknownMunicipality }), ['municipalityCode', 'WZBAM091E']),
    ],
  },
};

/**
 * Bodies that make a form reveal the fields it reads: nothing at all (a form whose fields are all
 * required names every one), and a junk value in every field name any form uses. The suite checks
 * that every `[field, code]` these provoke is one the table above has an invalid payload for.
 */
export function probeBodies(): Fields[] {
  const names = new Set<string>();
  for (const form of Object.values(payloads)) {
    for (const payload of [...form.valid, ...form.invalid]) {
      for (const name of Object.keys(payload.fields(sampleFacts))) names.add(name);
    }
  }
  return [{}, Object.fromEntries([...names].map((name) => [name, 'x']))];
}

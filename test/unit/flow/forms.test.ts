import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FormEventType, formEvent, forms, isFormEvent } from '../../../src/flow/forms.ts';

const ctx = { lang: 'en' as const };
const signedIn = { lang: 'ja' as const, userId: 'madoguchi01' };
const formTypes = Object.keys(forms) as FormEventType[];
const SECRET_FIELDS = ['password', 'passwordConfirm', 'currentPassword', 'newPassword', 'newPasswordConfirm'];

const registration = {
  name: 'test madoguchi',
  sex: 'male',
  birthDate: '2000-01-01',
  municipalityCode: '01101',
  street: '1-1-1 霞ケ関ﾊｲﾂ202号',
  phone: '123456789012',
  email: 'user01@ens-test.com',
  emailConfirm: 'user01@ens-test.com',
};

describe('LOGIN', () => {
  it('reports each missing field with WZBAM001E', () => {
    expect(formEvent('LOGIN', {}, ctx)).toEqual({
      type: 'INVALID',
      errors: [
        { code: 'WZBAM001E', field: 'userId' },
        { code: 'WZBAM001E', field: 'password' },
      ],
      values: {},
    });
    expect(formEvent('LOGIN', { userId: '  ', password: 'x' }, ctx)).toMatchObject({
      errors: [{ code: 'WZBAM001E', field: 'userId' }],
    });
  });

  it('carries the password as a secret only, and does not judge it by the password rule', () => {
    expect(formEvent('LOGIN', { userId: ' Madoguchi01 ', password: 'x' }, ctx)).toEqual({
      type: 'LOGIN',
      values: { userId: 'madoguchi01' },
      secrets: { password: 'x' },
    });
  });

  it('keeps the user ID but never the password when it fails', () => {
    const event = formEvent('LOGIN', { userId: 'madoguchi01', password: '' }, ctx);
    expect(event).toEqual({
      type: 'INVALID',
      errors: [{ code: 'WZBAM001E', field: 'password' }],
      values: { userId: 'madoguchi01' },
    });
  });

  it('takes the first of repeated fields', () => {
    expect(formEvent('LOGIN', { userId: ['madoguchi01', 'other0001'], password: ['a', 'b'] }, ctx)).toEqual({
      type: 'LOGIN',
      values: { userId: 'madoguchi01' },
      secrets: { password: 'a' },
    });
  });
});

describe('CONFIRM_REGISTRATION', () => {
  it('requires every field; the municipality asks for the Search button', () => {
    const result = forms.CONFIRM_REGISTRATION({}, ctx);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      { code: 'WZBAM001E', field: 'name' },
      { code: 'WZBAM001E', field: 'sex' },
      { code: 'WZBAM001E', field: 'birthDate' },
      { code: 'WZBAM090E', field: 'municipalityCode' },
      { code: 'WZBAM001E', field: 'street' },
      { code: 'WZBAM001E', field: 'phone' },
      { code: 'WZBAM001E', field: 'email' },
      { code: 'WZBAM001E', field: 'emailConfirm' },
    ]);
  });

  it('gives the normalized values that will be saved', () => {
    expect(formEvent('CONFIRM_REGISTRATION', registration, ctx)).toEqual({
      type: 'CONFIRM_REGISTRATION',
      values: { ...registration, name: 'TEST MADOGUCHI', street: '１－１－１\u3000霞ケ関ハイツ２０２号' },
    });
  });

  it('reports each broken rule on its field and keeps the input', () => {
    const result = forms.CONFIRM_REGISTRATION(
      {
        ...registration,
        sex: 'x',
        birthDate: '2999-01-01',
        municipalityCode: '99999',
        street: 'あ'.repeat(81),
        emailConfirm: 'other@ens-test.com',
      },
      ctx,
    );
    expect(!result.ok && result.errors).toEqual([
      { code: 'WZBAM070E', field: 'sex' },
      { code: 'WZBAM081E', field: 'birthDate' },
      { code: 'WZBAM091E', field: 'municipalityCode' },
      { code: 'WZBAM050E', field: 'street' },
      { code: 'WZBAM032E', field: 'emailConfirm' },
    ]);
    expect(result.values.street).toBe('あ'.repeat(81));
    expect(result.values.emailConfirm).toBe('other@ens-test.com');
  });
});

describe('CHANGE_USER_INFO', () => {
  it('answers WZBAM245E alone when nothing is entered', () => {
    const nothing = { ok: false, values: {}, errors: [{ code: 'WZBAM245E' }] };
    expect(forms.CHANGE_USER_INFO({}, signedIn)).toEqual(nothing);
    expect(
      forms.CHANGE_USER_INFO({ street: ' \u3000 ', phone: '', email: ['', 'x'] }, signedIn),
    ).toMatchObject({
      errors: [{ code: 'WZBAM245E' }],
    });
  });

  it('accepts a single change', () => {
    expect(formEvent('CHANGE_USER_INFO', { phone: '03-1234-5678' }, signedIn)).toEqual({
      type: 'CHANGE_USER_INFO',
      values: { phone: '0312345678' },
    });
  });

  it('takes the municipality and the street as one address change', () => {
    expect(forms.CHANGE_USER_INFO({ street: '１－１' }, signedIn)).toMatchObject({
      errors: [{ code: 'WZBAM090E', field: 'municipalityCode' }],
    });
    expect(forms.CHANGE_USER_INFO({ municipalityCode: '13101' }, signedIn)).toMatchObject({
      errors: [{ code: 'WZBAM001E', field: 'street' }],
    });
    expect(forms.CHANGE_USER_INFO({ municipalityCode: '13101', street: '霞が関1-1' }, signedIn)).toEqual({
      ok: true,
      values: { municipalityCode: '13101', street: '霞が関１－１' },
      secrets: {},
    });
  });

  it('needs the email confirmation with a new email, and the same address', () => {
    expect(forms.CHANGE_USER_INFO({ email: 'abc@xyz.co.jp' }, signedIn)).toMatchObject({
      errors: [{ code: 'WZBAM001E', field: 'emailConfirm' }],
    });
    expect(
      forms.CHANGE_USER_INFO({ email: 'abc@xyz.co.jp', emailConfirm: 'abd@xyz.co.jp' }, signedIn),
    ).toMatchObject({
      errors: [{ code: 'WZBAM032E', field: 'emailConfirm' }],
    });
  });

  it('checks phone 12 and 13 digits, email 60 and 61 characters', () => {
    expect(forms.CHANGE_USER_INFO({ phone: '1'.repeat(12) }, signedIn).ok).toBe(true);
    expect(forms.CHANGE_USER_INFO({ phone: '1'.repeat(13) }, signedIn)).toMatchObject({
      errors: [{ code: 'WZBAM041E', field: 'phone' }],
    });
    const email = (n: number) => `${'a'.repeat(n - 7)}@xyz.jp`;
    expect(forms.CHANGE_USER_INFO({ email: email(60), emailConfirm: email(60) }, signedIn).ok).toBe(true);
    expect(forms.CHANGE_USER_INFO({ email: email(61), emailConfirm: email(61) }, signedIn)).toMatchObject({
      errors: [{ code: 'WZBAM031E', field: 'email' }],
    });
  });

  it('checks the street at 80 and 81 characters', () => {
    const change = (street: string) =>
      forms.CHANGE_USER_INFO({ municipalityCode: '13101', street }, signedIn);
    expect(change('あ'.repeat(80)).ok).toBe(true);
    expect(change('a'.repeat(80)).ok).toBe(true);
    expect(change('あ'.repeat(81))).toMatchObject({ errors: [{ code: 'WZBAM050E', field: 'street' }] });
    expect(change('霞ケ関é')).toMatchObject({ errors: [{ code: 'WZBAM051E', field: 'street' }] });
  });
});

describe('CHANGE_PASSWORD', () => {
  const change = (currentPassword: string, newPassword: string, newPasswordConfirm = newPassword) =>
    formEvent('CHANGE_PASSWORD', { currentPassword, newPassword, newPasswordConfirm }, signedIn);

  it('requires the three fields', () => {
    expect(change('', '', '')).toEqual({
      type: 'INVALID',
      errors: [
        { code: 'WZBAM001E', field: 'currentPassword' },
        { code: 'WZBAM001E', field: 'newPassword' },
        { code: 'WZBAM001E', field: 'newPasswordConfirm' },
      ],
      values: {},
    });
  });

  it('sends the current and the new password as secrets, and keeps none of them', () => {
    expect(change('Madoguchi#2026', 'CD67890!')).toEqual({
      type: 'CHANGE_PASSWORD',
      values: {},
      secrets: { currentPassword: 'Madoguchi#2026', newPassword: 'CD67890!' },
    });
  });

  it.each([
    ['Ab1!xyz', 'WZBAM020E'],
    ['Ab1!xyzw', null],
    [`Ab1!${'x'.repeat(28)}`, null],
    [`Ab1!${'x'.repeat(29)}`, 'WZBAM020E'],
    ['Abcdefg1^', 'WZBAM022E'],
    ['Abcdef 1!', 'WZBAM022E'],
    ['Abcdefg1！', 'WZBAM022E'],
    ['Abcdefgh1', 'WZBAM021E'],
    ['MADOGUCHI01!', 'WZBAM023E'],
  ])('judges the new password %s → %s', (password, code) => {
    const event = change('Current#1', password);
    if (code === null) expect(event.type).toBe('CHANGE_PASSWORD');
    else expect(event).toMatchObject({ type: 'INVALID', errors: [{ code, field: 'newPassword' }] });
  });

  it('needs the confirmation to match and the new password to differ', () => {
    expect(change('Current#1', 'CD67890!', 'CD67890?')).toMatchObject({
      errors: [{ code: 'WZBAM026E', field: 'newPasswordConfirm' }],
    });
    expect(change('CD67890!', 'CD67890!')).toMatchObject({
      errors: [{ code: 'WZBAM024E', field: 'newPassword' }],
    });
  });
});

describe('SEND_RESET', () => {
  it('requires the user ID and email and checks their form', () => {
    expect(forms.SEND_RESET({}, ctx)).toMatchObject({
      errors: [
        { code: 'WZBAM001E', field: 'userId' },
        { code: 'WZBAM001E', field: 'email' },
      ],
    });
    expect(forms.SEND_RESET({ userId: 'ab', email: 'nope' }, ctx)).toMatchObject({
      errors: [
        { code: 'WZBAM010E', field: 'userId' },
        { code: 'WZBAM030E', field: 'email' },
      ],
    });
    expect(formEvent('SEND_RESET', { userId: 'rchut63547', email: 'ｕｓｅｒ01@ens-test.com' }, ctx)).toEqual({
      type: 'SEND_RESET',
      values: { userId: 'rchut63547', email: 'user01@ens-test.com' },
    });
  });
});

describe('SET_PASSWORD', () => {
  it('judges the password against the rule and the user of the link', () => {
    const link = { lang: 'en' as const, userId: 'rchut63547' };
    expect(formEvent('SET_PASSWORD', { password: 'CD67890!', passwordConfirm: 'CD67890!' }, link)).toEqual({
      type: 'SET_PASSWORD',
      values: {},
      secrets: { password: 'CD67890!' },
    });
    expect(
      forms.SET_PASSWORD({ password: 'x#RCHUT63547', passwordConfirm: 'x#RCHUT63547' }, link),
    ).toMatchObject({
      errors: [{ code: 'WZBAM023E', field: 'password' }],
    });
    expect(forms.SET_PASSWORD({ password: 'CD67890!', passwordConfirm: 'CD67890' }, link)).toMatchObject({
      errors: [{ code: 'WZBAM026E', field: 'passwordConfirm' }],
    });
    expect(forms.SET_PASSWORD({}, link)).toMatchObject({
      errors: [
        { code: 'WZBAM001E', field: 'password' },
        { code: 'WZBAM001E', field: 'passwordConfirm' },
      ],
    });
  });
});

describe('the address Search', () => {
  it('keeps what was posted of the form, normalized, with no errors and no secrets', () => {
    expect(
      formEvent('SEARCH', { name: 'test', street: '1-1', phone: 'abc', password: 'x', token: 't' }, ctx),
    ).toEqual({ type: 'SEARCH', values: { name: 'TEST', street: '１－１', phone: 'abc' } });
  });

  it('accepts known prefectures and municipalities only', () => {
    expect(formEvent('SELECT_PREFECTURE', { prefecture: '13' }, ctx)).toEqual({
      type: 'SELECT_PREFECTURE',
      prefecture: '13',
    });
    expect(formEvent('SELECT_MUNICIPALITY', { municipalityCode: '01101' }, ctx)).toEqual({
      type: 'SELECT_MUNICIPALITY',
      municipalityCode: '01101',
    });
    for (const prefecture of ['99', '', '1', '__proto__']) {
      expect(formEvent('SELECT_PREFECTURE', { prefecture }, ctx)).toMatchObject({
        type: 'INVALID',
        errors: [{ code: 'WZBAM091E', field: 'prefecture' }],
      });
    }
    expect(formEvent('SELECT_MUNICIPALITY', {}, ctx)).toMatchObject({
      type: 'INVALID',
      errors: [{ code: 'WZBAM091E', field: 'municipalityCode' }],
    });
  });
});

describe('the postal-code lookup', () => {
  it.each(['100-0013', '1000013', '１００－００１３', '１００００１３', '〒100-0013'])(
    'fills in 千代田区 and the town 霞が関 from %s, keeping the form as typed',
    (postalCode) => {
      expect(
        formEvent('LOOKUP_POSTAL_CODE', { postalCode, name: 'test', phone: '03-1234-5678' }, ctx),
      ).toEqual({
        type: 'LOOKUP_POSTAL_CODE',
        values: {
          name: 'TEST',
          phone: '0312345678',
          postalCode: '100-0013',
          municipalityCode: '13101',
          street: '霞が関',
        },
      });
    },
  );

  it('puts the town before a typed street, unless the street already starts with it', () => {
    const lookup = (street: string) =>
      formEvent('LOOKUP_POSTAL_CODE', { postalCode: '1000013', street }, ctx);
    expect(lookup('1-1-1')).toMatchObject({ values: { street: '霞が関１－１－１' } });
    expect(lookup('霞が関１－１－１')).toMatchObject({ values: { street: '霞が関１－１－１' } });
  });

  it('replaces an address chosen before, and leaves the street alone where the code names no town', () => {
    const event = formEvent(
      'LOOKUP_POSTAL_CODE',
      { postalCode: '060-0000', municipalityCode: '13101', street: '１－１' },
      ctx,
    );
    expect(event).toMatchObject({ values: { municipalityCode: '01101', street: '１－１' } });
  });

  it.each([
    ['', 'WZBAM110E'],
    ['100-001', 'WZBAM110E'],
    ['10000133', 'WZBAM110E'],
    ['abc-defg', 'WZBAM110E'],
    ['999-9999', 'WZBAM111E'],
    ['206-0000', 'WZBAM112E'],
  ])('marks the code %j with %s on its field, and keeps what was typed', (postalCode, code) => {
    const body = { postalCode, street: '１－１', municipalityCode: '13101' };
    expect(formEvent('LOOKUP_POSTAL_CODE', body, ctx)).toEqual({
      type: 'INVALID',
      errors: [{ code, field: 'postalCode' }],
      values: { municipalityCode: '13101', street: '１－１', ...(postalCode ? { postalCode } : {}) },
    });
  });

  it('keeps the typed postal code when Search is pressed', () => {
    expect(formEvent('SEARCH', { postalCode: '１００－０００１' }, ctx)).toEqual({
      type: 'SEARCH',
      values: { postalCode: '100-0001' },
    });
  });
});

describe('any input', () => {
  it('knows which events have a form', () => {
    expect(formTypes.every(isFormEvent)).toBe(true);
    for (const type of ['GO_LOGIN', 'BACK', 'REGISTER', 'INVALID', 'toString', '__proto__']) {
      expect(isFormEvent(type)).toBe(false);
    }
  });

  it('reads no more than 1,000 characters of a field and reports the length error', () => {
    const huge = 'a'.repeat(1_000_000);
    const started = performance.now();
    const street = forms.CHANGE_USER_INFO({ municipalityCode: '13101', street: huge }, signedIn);
    const email = forms.CHANGE_USER_INFO({ email: `${huge}@x.jp`, emailConfirm: huge }, signedIn);
    const login = forms.SEND_RESET({ userId: huge, email: 'a@b.jp' }, ctx);
    const password = forms.SET_PASSWORD({ password: `Ab1!${huge}`, passwordConfirm: `Ab1!${huge}` }, ctx);
    expect(performance.now() - started).toBeLessThan(200);
    expect(street).toMatchObject({ errors: [{ code: 'WZBAM050E', field: 'street' }] });
    expect(street.values.street?.length).toBe(1000);
    expect(email).toMatchObject({ errors: [{ code: 'WZBAM031E', field: 'email' }] });
    expect(login).toMatchObject({ errors: [{ code: 'WZBAM010E', field: 'userId' }] });
    expect(password).toEqual({ ok: false, values: {}, errors: [{ code: 'WZBAM020E', field: 'password' }] });
  });

  it('drops control characters and ignores values that are not strings', () => {
    expect(forms.SEARCH({ name: 'te\u0000st\n', phone: 5, street: { a: 1 }, email: [[]] }, ctx)).toEqual({
      ok: true,
      values: { name: 'TEST' },
      secrets: {},
    });
  });

  it('reports a body that cannot be read instead of throwing', () => {
    const hostile = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error('no');
        },
      },
    );
    for (const type of formTypes) {
      expect(forms[type](hostile, ctx)).toEqual({ ok: false, values: {}, errors: [{ code: 'WZBAM901E' }] });
    }
  });

  it('never throws, never keeps a password in values, and always answers an event', () => {
    const body = fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom(...SECRET_FIELDS, ...Object.keys(registration), 'userId', 'prefecture'),
      ),
      fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...formTypes),
        body,
        fc.option(fc.string(), { nil: undefined }),
        (type, b, userId) => {
          const result = forms[type](b, { lang: 'ja', userId });
          expect(typeof result.ok).toBe('boolean');
          for (const [name, value] of Object.entries(result.values)) {
            expect(SECRET_FIELDS).not.toContain(name);
            expect(typeof value).toBe('string');
          }
          if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
          expect(typeof formEvent(type, b, { lang: 'en', userId }).type).toBe('string');
        },
      ),
      { numRuns: 2000 },
    );
  });
});

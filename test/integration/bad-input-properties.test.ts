/**
 * Property-based bad input over HTTP (fast-check): random Unicode, control characters, huge,
 * missing, repeated and unknown fields, on every form of the manual. Never a 5xx; what was typed
 * comes back escaped; no markup from the input ever reaches the page.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, type Harness, startHarness, type TestUser } from './harness.ts';

let harness: Harness;
let user: TestUser;
beforeAll(async () => {
  harness = await startHarness({ RATE_LIMIT_PER_MINUTE: '100000' });
  user = await createUser(harness.pool);
});
afterAll(() => harness.close());

/** How to reach each form page, and the form's action and field names. */
const forms: { name: string; reach: (b: Browser) => Promise<unknown>; action: string; fields: string[] }[] = [
  {
    name: 'login',
    reach: async (b) => {
      await b.get('/');
      await b.press('GO_LOGIN');
    },
    action: 'LOGIN',
    fields: ['userId', 'password'],
  },
  {
    name: 'registration',
    reach: async (b) => {
      await b.get('/');
      await b.press('GO_REGISTER');
    },
    action: 'CONFIRM_REGISTRATION',
    fields: ['name', 'sex', 'birthDate', 'municipalityCode', 'street', 'phone', 'email', 'emailConfirm'],
  },
  {
    name: 'forgotten password',
    reach: async (b) => {
      await b.get('/');
      await b.press('GO_LOGIN');
      await b.press('GO_FORGOT_PASSWORD');
    },
    action: 'SEND_RESET',
    fields: ['userId', 'email'],
  },
  {
    name: 'change user information',
    reach: async (b) => {
      await b.login(user);
      await b.press('GO_USER_INFO');
      await b.press('GO_CHANGE_USER_INFO');
    },
    action: 'CHANGE_USER_INFO',
    fields: ['municipalityCode', 'street', 'phone', 'email', 'emailConfirm'],
  },
  {
    name: 'change password',
    reach: async (b) => {
      await b.login(user);
      await b.press('GO_USER_INFO');
      await b.press('GO_CHANGE_PASSWORD');
    },
    action: 'CHANGE_PASSWORD',
    fields: ['currentPassword', 'newPassword', 'newPasswordConfirm'],
  },
];

const marker = '<script>alert(1)</script>';
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constant(marker),
  fc.constant('"><img src=x onerror=alert(1)>'),
  fc.constant('あ'.repeat(400_000)),
  fc.constant(''),
);

describe.each(forms)('the $name form', ({ reach, action, fields }) => {
  it('never answers 5xx and never lets markup from the input through', async () => {
    const browser = new Browser(harness.app);
    await reach(browser);
    const page = browser.page.url;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...fields, 'unknown', '__proto__'), nasty, {
          maxKeys: fields.length + 2,
        }),
        async (body) => {
          const answer = await browser.press(action, body);
          expect(answer.status).toBeLessThan(500);
          expect(answer.html).not.toContain(marker);
          expect(answer.html).not.toContain('<img src=x');
          // every answer is a page of the flow, and the session is still on the same form or past it
          expect(answer.html).toMatch(/<main id="main" class="page page--/);
          if (answer.url !== page) await reach(browser); // a valid body moved on: start again
        },
      ),
      { numRuns: 15 },
    );
  });
});

/**
 * Property-based bad input over HTTP (fast-check): random Unicode, control characters, huge,
 * missing and unknown fields, on every form of the manual. Never a 5xx, never the invalid-operation
 * page: the form refuses the input with a coded message (or, for a body past 4 MB, a coded 413
 * page), or takes it to the page a valid form leads to; no markup from the input reaches the page.
 * (bad-input.test.ts shows a typed value coming back escaped.)
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

/** How to reach each form page, the form's action and field names, and where a valid one leads. */
const forms: {
  name: string;
  reach: (b: Browser) => Promise<unknown>;
  action: string;
  fields: string[];
  next: string;
}[] = [
  {
    name: 'login',
    reach: async (b) => {
      await b.get('/');
      await b.press('GO_LOGIN');
    },
    action: 'LOGIN',
    fields: ['userId', 'password'],
    next: '/menu',
  },
  {
    name: 'registration',
    reach: async (b) => {
      await b.get('/');
      await b.press('GO_REGISTER');
    },
    action: 'CONFIRM_REGISTRATION',
    fields: ['name', 'sex', 'birthDate', 'municipalityCode', 'street', 'phone', 'email', 'emailConfirm'],
    next: '/register/confirm',
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
    next: '/password/forgot/sent',
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
    next: '/user-info/updated',
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
    next: '/password/changed',
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

describe.each(forms)('the $name form', ({ reach, action, fields, next }) => {
  it('refuses bad input with a coded message (on the form; a 413 page past 4 MB), never 5xx or markup from it', async () => {
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
          if (answer.status === 413) {
            // a body past the 4 MB limit is refused whole, with its coded message; the session stays
            // on the form
            expect(answer.html).toContain('WZBAM901E');
            expect((await browser.get(page)).url).toBe(page);
          } else if (answer.url === page) {
            // refused on the form itself, with its coded message
            expect(answer.html).toMatch(/WZBAM\d{3}E/);
          } else {
            // accepted: the page a valid form leads to (never the invalid-operation page); start again
            expect(answer.url).toBe(next);
            await reach(browser);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

/**
 * The chapters of the generated manual: one per flow of the session machine, in the order of the
 * table of contents of the manual the service follows (homepage 2.1, registration 2.1.2, login
 * 2.2 and menu 2.3, user information 2.4.1–2.4.4, password change 2.4.5–2.4.7, forgotten
 * password 2.5, errors 3). Each names the page states it describes and the "how to" sequences it
 * opens with, each by the page state the sequence ends on; the steps come from the machine's
 * shortest path to that page. test/paths/manual-model.test.ts fails when a page state has no
 * chapter.
 */
import type { ManualText } from '../src/flow/manual-items.ts';

export interface HowTo {
  title: ManualText;
  /** The page state the sequence ends on. */
  goal: string;
}

export interface Chapter {
  key: string;
  title: ManualText;
  /** What the chapter is about, in a sentence. */
  intro: ManualText;
  howTos: HowTo[];
  /** Its page states (shown in path order, whatever the order here). */
  pages: string[];
}

export const chapters: Chapter[] = [
  {
    key: 'home',
    title: { en: 'Homepage', ja: 'トップページ' },
    intro: {
      en: 'The homepage is where every visit starts: from it you log in or register as a new user.',
      ja: 'トップページは、全ての利用の入口です。ここからログイン又は新規の利用者登録を行います。',
    },
    howTos: [{ title: { en: 'How to open the Login page', ja: 'ログイン画面の表示方法' }, goal: 'login' }],
    pages: ['home'],
  },
  {
    key: 'registration',
    title: { en: 'User registration', ja: '利用者登録' },
    intro: {
      en: 'Register as a new user: enter your information, confirm it, and you receive an email with your user ID and a link to register your password (see the chapter on the forgotten password for the Password Registration page).',
      ja: '新規に利用者登録を行います。利用者情報を入力して確認すると、認証IDとパスワード登録用のURLを記載した電子メールが届きます(パスワード登録画面は、パスワードを忘れた場合の章を参照してください。)。',
    },
    howTos: [
      { title: { en: 'User registration procedure', ja: '利用者登録の手順' }, goal: 'registration.complete' },
    ],
    pages: [
      'registration.input',
      'registration.addressSearch',
      'registration.confirm',
      'registration.complete',
    ],
  },
  {
    key: 'login',
    title: { en: 'Login and menu', ja: 'ログインとメニュー' },
    intro: {
      en: 'Log in with your user ID and password to reach the Menu page; log out from any page after login.',
      ja: '認証IDとパスワードでログインし、メニュー画面を表示します。ログイン後の各画面からログアウトできます。',
    },
    howTos: [
      {
        title: { en: 'Authenticating on the Login page', ja: 'ログイン画面での認証' },
        goal: 'signedIn.menu',
      },
      { title: { en: 'How to log out', ja: 'ログアウトの方法' }, goal: 'loggedOut' },
    ],
    pages: ['login', 'signedIn.menu', 'loggedOut'],
  },
  {
    key: 'userInfo',
    title: { en: 'User information', ja: '利用者情報' },
    intro: {
      en: 'See your user information and change your address, contact number or email address.',
      ja: '利用者情報を表示し、住居地、連絡先又はメールアドレスを変更します。',
    },
    howTos: [
      {
        title: { en: 'How to change user information', ja: '利用者情報の変更方法' },
        goal: 'signedIn.userInfoUpdated',
      },
    ],
    pages: [
      'signedIn.userInfo',
      'signedIn.changeUserInfo',
      'signedIn.addressSearch',
      'signedIn.userInfoUpdated',
      // beyond the manual: the link in the notice to the former address undoes an email change
      'emailRestored',
      'restoreFailed',
    ],
  },
  {
    key: 'changePassword',
    title: { en: 'Password change', ja: 'パスワード変更' },
    intro: {
      en: 'Change your password from the User Information page.',
      ja: '利用者情報表示画面からパスワードを変更します。',
    },
    howTos: [
      {
        title: { en: 'How to change the password', ja: 'パスワードの変更方法' },
        goal: 'signedIn.passwordChanged',
      },
    ],
    pages: ['signedIn.changePassword', 'signedIn.passwordChanged'],
  },
  {
    key: 'forgotPassword',
    title: {
      en: 'How to reset the password (if you have forgotten your password)',
      ja: 'パスワードを忘れた場合のパスワード再設定方法',
    },
    intro: {
      en: 'Ask for a link to reset your password, then register a new password from the link in the email. A new user registers the first password the same way.',
      ja: 'パスワード再設定用のURLを請求し、電子メールに記載されたURLから新しいパスワードを登録します。新規利用者も同じ方法で最初のパスワードを登録します。',
    },
    howTos: [
      { title: { en: 'How to reset the password', ja: 'パスワードの再設定方法' }, goal: 'resetRequested' },
      { title: { en: 'How to register a password', ja: 'パスワードの登録方法' }, goal: 'passwordRegistered' },
    ],
    pages: ['forgotPassword', 'resetRequested', 'passwordRegistration', 'passwordRegistered', 'linkInvalid'],
  },
  {
    key: 'errors',
    title: { en: 'Errors', ja: 'エラー' },
    intro: {
      en: 'What the system shows when an operation is out of sequence or the session has timed out, and the list of error messages.',
      ja: '手順どおりでない操作やセッションのタイムアウトの際に表示する画面と、エラーメッセージの一覧です。',
    },
    howTos: [],
    pages: ['invalidOperation', 'timedOut', 'accountLocked'],
  },
];

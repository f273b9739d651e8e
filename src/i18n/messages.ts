/**
 * Every sentence and label of the pages, Japanese and English side by side. English button and
 * label texts are the manual's on-screen item names (DESIGN.md, "Page fidelity").
 */
import type { Lang } from './lang.ts';

type Text = { ja: string; en: string };

export const messages = {
  // common to every page (manual 1.4)
  'site.name': { ja: '在留申請オンラインシステム', en: 'Online Residence Application System' },
  'site.agency': { ja: '出入国在留管理庁', en: 'Immigration Services Agency of Japan' },
  'site.copyright': {
    ja: 'Copyright (C) Immigration Services Agency of Japan All Rights Reserved.',
    en: 'Copyright (C) Immigration Services Agency of Japan All Rights Reserved.',
  },
  'site.skip': { ja: '本文へ移動', en: 'Skip to main content' },
  'lang.switch': { ja: 'English', en: '日本語' },
  'lang.switchLabel': { ja: 'Page language', en: '表示言語' },
  'footer.errors': { ja: 'エラーメッセージ一覧', en: 'List of error messages' },
  'header.userName': { ja: '利用者氏名', en: 'User name' },
  'header.lastLogin': { ja: '前回ログイン日時', en: 'Time and date of your last login' },
  'header.firstLogin': { ja: '(初回ログイン)', en: '(first login)' },
  'field.required': { ja: '必須', en: 'Required' },
  'errors.title': { ja: '入力内容に誤りがあります', en: 'There is a problem with the entered information' },
  'title.errorPrefix': { ja: 'エラー: ', en: 'Error: ' },
  'steps.label': { ja: '手続の流れ', en: 'Process and current step' },
  'steps.current': { ja: '(現在の手順)', en: '(current step)' },

  // buttons and links (manual on-screen item names)
  'button.login': { ja: 'ログイン', en: 'Login' },
  'button.confirm': { ja: '確認', en: 'Confirm' },
  'button.change': { ja: '変更', en: 'Change' },
  'button.back': { ja: '戻る', en: 'Back' },
  'button.search': { ja: '検索', en: 'Search' },
  'button.send': { ja: '送信', en: 'Send' },
  'button.register': { ja: '登録', en: 'Register' },
  'button.logout': { ja: 'ログアウト', en: 'Log out' },
  'button.userInfoUpdate': { ja: '利用者情報更新', en: 'User information update' },
  'button.changeUserInfo': { ja: '利用者情報変更', en: 'Change user information' },
  'button.changePassword': { ja: 'パスワード変更', en: 'Change password' },
  'button.home': { ja: 'トップページへ戻る', en: 'Back to Homepage' },
  'button.forgotPassword': { ja: 'パスワードを忘れた方はこちら', en: 'Forgot your password?' },
  'button.backToUserInfo': { ja: '利用者情報画面へ戻る', en: 'Back to the User Information page' },
  'button.backToLogin': { ja: 'ログイン画面へ戻る', en: 'Back to the login page' },
  'button.loginAgain': { ja: 'トップページからログインし直す', en: 'Go to the homepage to log in again' },

  // 2.1 Homepage
  'home.title': { ja: 'トップページ', en: 'Top page' },
  'home.notices': { ja: 'お知らせ', en: 'Notice' },
  'home.noNotices': { ja: 'お知らせはありません。', en: 'There are no notices.' },
  'home.login': { ja: 'ログイン', en: 'Login' },
  'home.register': { ja: '利用者登録', en: 'Register a new user' },
  'home.category.foreignNational': {
    ja: '外国人本人・その他',
    en: 'Foreign national (applicant)/other',
  },
  'home.category.corporation': {
    ja: '法人、弁護士・行政書士',
    en: 'Corporation/Attorney/Administrative Procedures Legal Specialist',
  },
  'home.category.attorney': {
    ja: '弁護士・行政書士',
    en: 'Attorney/Administrative Procedures Legal Specialist',
  },
  'home.category.counter': {
    ja: '在留資格認定証明書の電子交付を希望する窓口申請者',
    en: 'Applicant (at a counter) for electronic issuance of a certificate of eligibility',
  },
  'home.notOffered': {
    ja: 'この利用者区分は本サイトでは提供していません。',
    en: 'This user category is not offered on this site.',
  },
  'home.loginIntro': {
    ja: '在留資格認定証明書の電子交付を希望する窓口申請者の方は、「ログイン」ボタンを押下してください。',
    en: 'If you are an applicant (at a counter) for electronic issuance of a certificate of eligibility, press the Login button.',
  },
  'home.registerIntro': {
    ja: 'オンラインで手続を行う場合には、利用者登録が必要となります。',
    en: 'To use the online procedures, you must first register as a user.',
  },

  // 2.2 Login
  'login.title': { ja: 'ログイン', en: 'Login' },
  'login.userId': { ja: '利用者ID', en: 'User ID' },
  'login.userIdHint': {
    ja: '在留申請オンラインシステムからのメールに記載された利用者IDを入力してください。',
    en: 'Enter the user ID you received in an email from the Online Residence Application System.',
  },
  'login.password': { ja: 'パスワード', en: 'Password' },
  'login.lostPassword': { ja: 'パスワードを紛失した場合', en: 'In case you have lost your password' },
  'login.obtainId': {
    ja: '利用者IDの取得は、利用申出又は利用者登録を行ってください。',
    en: 'To obtain User ID, file a request to use the system or register a user.',
  },
  'login.forgotId': {
    ja: '利用者IDを忘れた場合は、地方出入国在留管理官署に再設定の申出を行ってください。',
    en: 'If you have forgotten your User ID, submit a request to the regional immigration services office to reset it.',
  },
  'login.agencySite': {
    ja: '詳しくは出入国在留管理庁ホームページを御確認ください。',
    en: "For more information, see the Immigration Services Agency's website.",
  },
  'login.agencyLink': { ja: '出入国在留管理庁ホームページ', en: 'Immigration Services Agency website' },

  // 2.3 Menu
  'menu.title': { ja: 'メニュー', en: 'Menu' },
  'menu.residence': { ja: '在留申請', en: 'Residence application' },
  'menu.individual': {
    ja: '申請情報入力(個別入力)',
    en: 'Enter application information (Fill out applications individually)',
  },
  'menu.individualIntro': {
    ja: '申請情報入力ボタンを押下して、項目を個別に入力できます。',
    en: 'You can enter the items individually by pressing down the application information entry button.',
  },
  'menu.blanket': { ja: '申請情報入力(一括)', en: 'Enter application information (Blanket)' },
  'menu.blanketIntro': {
    ja: '一括申請の情報を入力する場合は、下のボタンを押下してください。',
    en: 'To enter the information for a blanket application, please press the button below.',
  },
  'menu.search': { ja: '申請情報検索', en: 'Application information search' },
  'menu.searchIntro': {
    ja: '申請情報入力で入力した情報を選択し、資料と顔写真を添付して申請ボタンを押下すると申請が行われます。',
    en: 'Select the information entered in Enter application information, attach materials and a facial photo, and press the Application button to file the application.',
  },
  'menu.disabled': {
    ja: 'この機能は本利用者区分ではご利用いただけません。',
    en: 'This function is not available for this user category.',
  },
  'menu.userInfo': { ja: '利用者情報更新', en: 'User information update' },
  'menu.userInfoIntro': {
    ja: 'メールアドレスの変更やパスワードの変更を行う場合は、下のボタンを押下してください。',
    en: 'If you wish to change your email address or change your password, please click on the button below',
  },

  // 3.1 List of error messages
  'errorList.title': { ja: 'エラーメッセージ一覧', en: 'List of error messages' },
  'errorList.intro': {
    ja: '在留申請オンラインシステムで表示されるエラーメッセージの一覧です。',
    en: 'The error messages that may appear while using the Online Residence Application System.',
  },
  'errorList.code': { ja: 'コード', en: 'Code' },
  'errorList.message': { ja: 'メッセージ', en: 'Message' },

  // terminal pages
  'loggedOut.title': { ja: 'ログアウト', en: 'Logged out' },
  'loggedOut.body': {
    ja: '在留申請オンラインシステムからログアウトしました。',
    en: 'You have logged out of the Online Residence Application System.',
  },
  'invalidOperation.title': { ja: '不正な操作', en: 'Invalid operation' },
  'invalidOperation.body': {
    ja: '不正な操作が行われたため、ログアウトしました。ブラウザの「戻る」ボタンやBackSpaceキーは使用せず、画面上のボタンで操作してください。',
    en: "An invalid operation was performed, so you have been logged out. Do not use your browser's Back button or the backspace key; use the buttons on the page.",
  },
  'timedOut.title': { ja: 'セッションタイムアウト', en: 'Session timed out' },
  'timedOut.body': {
    ja: '一定時間操作がなかったため、セッションがタイムアウトしました。もう一度ログインしてください。',
    en: 'Your session timed out because you were inactive for a set period of time. Please log in again.',
  },
} satisfies Record<string, Text>;

export type MessageKey = keyof typeof messages;

/** The text of `key` in `lang`, with `{name}` placeholders filled; an unknown key shows itself. */
export function translate(key: string, lang: Lang, params?: Record<string, string>): string {
  const text = (messages as Record<string, Text>)[key]?.[lang] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (whole, name) => params[name] ?? whole) : text;
}

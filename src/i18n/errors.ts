/**
 * The error-code catalogue (manual 3.1, "a separate sheet"): every message a page can show, under
 * a stable code in the manual's form `WZBAM…E`, with its Japanese and English text side by side.
 *
 * Codes are grouped by hundreds and tens: 0xx input rules (001 required, 002 login, 01x user ID,
 * 02x password, 03x email, 04x phone, 05x street, 06x name, 07x sex, 08x date of birth, 09x address),
 * 245 is the manual's "nothing to change", 3xx flow outcomes, 9xx system. A code, once published,
 * never changes meaning; the unit test pins the list.
 */

interface CatalogueEntry {
  ja: string;
  en: string;
}

const SYMBOLS = '$%&=@_#*+-?!';

export const errorCatalogue = {
  // 001: the manual's message for every required field left empty
  WZBAM001E: {
    ja: '(!)が付いている項目を入力してください。',
    en: 'Enter the information in the column marked with (!)',
  },
  // one message for a wrong user ID, a wrong password and a locked account, so none can be told apart
  WZBAM002E: {
    ja: 'ログインできませんでした。利用者IDとパスワードを確認してください。続けて失敗した場合、しばらくの間ログインできなくなります。',
    en: 'Could not log in. Check your user ID and password. After repeated failures, login is suspended for a while.',
  },
  WZBAM010E: {
    ja: '利用者IDの形式が正しくありません。半角英小文字と半角数字で6文字以上20文字以内で入力してください。',
    en: 'The user ID is not in the correct form. Enter 6 to 20 1-byte lowercase letters and numbers.',
  },
  WZBAM020E: {
    ja: 'パスワードは8文字以上32文字以内で入力してください。',
    en: 'The password must be 8 letters or longer and up to 32 letters.',
  },
  WZBAM021E: {
    ja: 'パスワードには半角英字、半角数字、半角記号をそれぞれ1文字以上使用してください。',
    en: 'Be sure to use at least one from each of the 1-byte alphabet letters, 1-byte numbers, and 1-byte signs in the password.',
  },
  WZBAM022E: {
    ja: `パスワードに使用できない文字が含まれています。使用できる記号は ${SYMBOLS} です。`,
    en: `The password contains a character that cannot be used. The symbols which may be used are ${SYMBOLS}`,
  },
  WZBAM023E: {
    ja: 'パスワードに利用者IDを含めることはできません。',
    en: 'The password must not contain your user ID.',
  },
  WZBAM024E: {
    ja: '新しいパスワードには現在のパスワードと異なるものを入力してください。',
    en: 'The new password must be different from the current password.',
  },
  WZBAM025E: {
    ja: '現在のパスワードが正しくありません。',
    en: 'The current password is incorrect.',
  },
  WZBAM026E: {
    ja: 'パスワードとパスワード(確認)が一致しません。',
    en: 'The password and the password (confirmation) do not match.',
  },
  WZBAM027E: {
    ja: 'このパスワードは広く使われているため使用できません。推測されにくいパスワードを入力してください。',
    en: 'This password is too commonly used. Enter a password that is hard to guess.',
  },
  WZBAM030E: {
    ja: 'メールアドレスの形式が正しくありません。例)abc@xyz.co.jp',
    en: 'The email address is not in the correct form. Example: abc@xyz.co.jp',
  },
  WZBAM031E: {
    ja: 'メールアドレスは半角英数字・記号60文字以内で入力してください。',
    en: 'Enter the email address in 1-byte alphanumeric letters and/or signs within 60 characters.',
  },
  WZBAM032E: {
    ja: 'メールアドレスとメールアドレス(確認)が一致しません。',
    en: 'The email address and the email address (confirmation) do not match.',
  },
  WZBAM040E: {
    ja: '連絡先は半角数字で入力してください。例)0312345678',
    en: 'Enter the contact number in 1-byte numbers. Example: 0312345678',
  },
  WZBAM041E: {
    ja: '連絡先は10桁以上12桁以内で入力してください。',
    en: 'The contact number must be 10 to 12 digits long.',
  },
  WZBAM050E: {
    ja: '住居地(町名・番地・号・建物名等)は80文字以内で入力してください。',
    en: 'Enter the address (the town name, the street or house numbers) within 80 characters.',
  },
  WZBAM051E: {
    ja: '住居地(町名・番地・号・建物名等)は全角文字で入力してください。',
    en: 'Enter the address (the town name, the street or house numbers) in 2-byte characters.',
  },
  WZBAM060E: {
    ja: '氏名は在留カードに記載のとおり、半角英字(ローマ字)で入力してください。',
    en: 'Enter the name in Roman letters as shown on your residence card.',
  },
  WZBAM061E: {
    ja: '氏名は60文字以内で入力してください。',
    en: 'Enter the name within 60 characters.',
  },
  WZBAM070E: {
    ja: '性別を選択してください。',
    en: 'Select your sex from the choices.',
  },
  WZBAM080E: {
    ja: '生年月日を正しい日付(YYYY-MM-DD、1900-01-01以降)で入力してください。',
    en: 'Enter a valid date of birth (YYYY-MM-DD, 1900-01-01 or later).',
  },
  WZBAM081E: {
    ja: '生年月日に未来の日付は入力できません。',
    en: 'The date of birth cannot be in the future.',
  },
  // the manual's prompt on the Change User Information page: the municipality is only chosen with Search
  WZBAM090E: {
    ja: '検索ボタンを押下して検索してください。',
    en: 'Press the Search button to select the prefecture and municipality.',
  },
  WZBAM091E: {
    ja: '選択された都道府県・市区町村は存在しません。検索ボタンを押下して選択し直してください。',
    en: 'The selected prefecture or municipality does not exist. Press the Search button and select it again.',
  },
  WZBAM245E: {
    ja: '変更する情報を入力してください。',
    en: 'Please enter the information to change.',
  },
  WZBAM300E: {
    ja: '入力された利用者IDとメールアドレスに一致する利用者情報がありません。',
    en: 'No user information matches the user ID and email address entered.',
  },
  WZBAM310E: {
    ja: 'このURLは無効か、有効期限が切れています。お手数ですが、もう一度手続きをやり直してください。',
    en: 'This link is invalid or has expired. Please start the procedure again.',
  },
  WZBAM320E: {
    ja: '試行回数が上限を超えました。しばらく時間をおいてから再度お試しください。',
    en: 'Too many attempts. Please wait a while and try again.',
  },
  // 350: a password containing a word tied to this service (the list is CONTEXT_WORDS in domain/rules.ts)
  WZBAM350E: {
    ja: 'パスワードに推測されやすい語(本システムや出入国在留管理に関係する語、画面に示した例など)を含めることはできません。',
    en: 'The password must not contain a word that is easy to guess: words about this system or immigration, or the example shown on the page.',
  },
  // 351: an email change to an address another account has (one address, one account)
  WZBAM351E: {
    ja: 'このメールアドレスは使用できません。別のメールアドレスを入力してください。',
    en: 'This email address cannot be used. Enter another email address.',
  },
  WZBAM900E: {
    ja: 'ただいまシステムを利用できません。しばらく時間をおいてから再度お試しください。',
    en: 'The system is temporarily unavailable. Please try again later.',
  },
  WZBAM901E: {
    ja: '送信された内容が大きすぎるか、正しくありません。入力内容を確認して再度送信してください。',
    en: 'The submitted form was too large or malformed. Check the entered information and send it again.',
  },
  WZBAM902E: {
    ja: 'お探しのページは見つかりませんでした。トップページからやり直してください。',
    en: 'The page you are looking for was not found. Please start again from the homepage.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;
export type Lang = 'ja' | 'en';

/** Every code, in catalogue order (the order of the error-code page). */
export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalogue, code);
}

/** The separator between code and text: the full-width colon in Japanese, as the system's pages show. */
const separator: Record<Lang, string> = { ja: '：', en: ': ' };

/**
 * "CODE: text" in the language asked. An unknown code (one an outside component invented) is shown
 * as the system error rather than as a bare code, so a page never renders an empty message.
 */
export function errorMessage(code: string, lang: Lang): string {
  const known: ErrorCode = isErrorCode(code) ? code : 'WZBAM900E';
  return `${known}${separator[lang]}${errorCatalogue[known][lang]}`;
}

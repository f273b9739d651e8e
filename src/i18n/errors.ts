/**
 * The error-code catalogue (manual 3.1, "a separate sheet"): every message a page can show, under
 * a stable code in the manual's form `WZBAM…E`, with its Japanese and English text side by side.
 *
 * Codes are grouped by hundreds and tens: 0xx input rules (001 required, 002 login, 01x user ID,
 * 02x password, 03x email, 04x phone, 05x street, 06x name, 07x sex, 08x date of birth, 09x address,
 * 11x postal-code lookup), 245 is the manual's "nothing to change", 3xx flow outcomes, 9xx system.
 * A code, once published, never changes meaning; the unit test pins the list. Retired, never to be
 * reused: WZBAM300E (no user matches the user ID and email; never shown, since the reset answers the
 * same either way).
 */
import type { Lang } from './lang.ts';

interface CatalogueEntry {
  ja: string;
  en: string;
}

const SYMBOLS = '$%&=@_#*+-?!';

export const errorCatalogue = {
  // 001: the manual's message for every required field left empty
  WZBAM001E: {
    ja: '「!」が付いている項目を入力してください。',
    en: 'Enter the information in the column marked with (!)',
  },
  // one message for a wrong user ID, a wrong password and a locked account, so none can be told apart
  WZBAM002E: {
    ja: 'ログインできませんでした。認証IDとパスワードを確認してください。続けて失敗した場合、しばらくの間ログインできなくなります。',
    en: 'Could not log in. Check your user ID and password. After repeated failures, login is suspended for a while.',
  },
  WZBAM010E: {
    ja: '認証IDの形式が正しくありません。半角英小文字と半角数字を使用し、6文字以上20文字以内で入力してください。',
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
    ja: `パスワードに使用できない文字が含まれています。使用できる記号は「${SYMBOLS}」です。`,
    en: `The password contains a character that cannot be used. The symbols which may be used are ${SYMBOLS}`,
  },
  WZBAM023E: {
    ja: 'パスワードに認証IDを含むことはできません。',
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
    ja: 'パスワードと確認用に入力したパスワードが一致しません。',
    en: 'The password and the password entered for confirmation do not match.',
  },
  WZBAM027E: {
    ja: 'このパスワードは推測されやすいため使用できません。別のパスワードを入力してください。',
    en: 'This password is easy to guess and cannot be used. Enter another password.',
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
    ja: 'メールアドレスと確認用に入力したメールアドレスが一致しません。',
    en: 'The email address and the email address entered for confirmation do not match.',
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
    ja: '生年月日は、1900年1月1日以降の正しい日付を、半角数字で「年-月-日」の順に入力してください。例)2000-01-01',
    en: 'Enter your date of birth as a real date from January 1, 1900, in 1-byte numbers as year-month-day. Example: 2000-01-01',
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
    ja: '選択された都道府県・市区町村は存在しません。「検索」ボタンを押下して選択し直してください。',
    en: 'The selected prefecture or municipality does not exist. Press the Search button and select it again.',
  },
  // 11x: the optional postal-code lookup beside Search; the manual's Search stays the way to choose
  WZBAM110E: {
    ja: '郵便番号は7桁の数字で入力してください。例)100-0001',
    en: 'Enter the postal code as 7 digits. Example: 100-0001',
  },
  WZBAM111E: {
    ja: 'この郵便番号に該当する住所が見つかりません。郵便番号を確認するか、「検索」ボタンを押下して選択してください。',
    en: 'No address was found for this postal code. Check the code, or press the Search button to select the prefecture and municipality.',
  },
  WZBAM112E: {
    ja: 'この郵便番号は複数の市区町村にまたがっています。「検索」ボタンを押下して選択してください。',
    en: 'This postal code covers more than one municipality. Press the Search button to select the prefecture and municipality.',
  },
  WZBAM245E: {
    ja: '変更する情報を入力してください。',
    en: 'Please enter the information to change.',
  },
  WZBAM310E: {
    ja: 'このURLは無効であるか、有効期限が切れています。お手数ですが、最初から手続をやり直してください。',
    en: 'This link is invalid or has expired. Please start the procedure again.',
  },
  WZBAM320E: {
    ja: '試行回数が上限を超えました。しばらく時間をおいてから再度お試しください。',
    en: 'Too many attempts. Please wait a while and try again.',
  },
  // a request from another site (a link or form elsewhere), refused before the session is read
  WZBAM330E: {
    ja: '他のサイトからの要求のため、処理できませんでした。本システムの画面から操作してください。',
    en: 'This request came from another site and was refused. Please use the pages of this system.',
  },
  // a form posted as JSON or any other body than the pages send
  WZBAM331E: {
    ja: '送信された形式では処理できません。画面のボタンから送信してください。',
    en: 'The request was sent in a form this system does not accept. Please use the buttons on the page.',
  },
  // 340: the account locked by wrong current passwords on the Password Input page: the session ends
  // (on the Login page a locked account gets WZBAM002E, like a wrong password, so none is told apart)
  WZBAM340E: {
    ja: 'パスワードを続けて誤ったため、しばらくの間ログインできなくなりました。ログアウトしました。しばらく時間をおいてから再度ログインしてください。',
    en: 'The password was entered wrongly too many times, so login is suspended for a while and you have been logged out. Please wait a while and log in again.',
  },
  // 345–346: the link in the notice to the former address, which undoes an email change
  WZBAM345E: {
    ja: 'このURLは無効であるか、有効期限が切れています。メールアドレスは元に戻っていません。',
    en: 'This link is invalid or has expired. The email address has not been changed back.',
  },
  WZBAM346E: {
    ja: '変更前のメールアドレスは、現在、他の利用者が使用しているため、元に戻せませんでした。この認証IDでのログインは、すべてログアウトされました。',
    en: 'The former email address is now used by another user, so it could not be restored. Your user ID has been logged out everywhere it was logged in.',
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

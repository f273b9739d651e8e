/**
 * The manual's own sentences, in Japanese and English: headings and the phrases its generated
 * parts are made of. Everything about a page (its name, items, buttons and messages) comes from
 * the service instead.
 */
import type { ManualText } from '../src/flow/manual-items.ts';
import type { Lang } from '../src/i18n/lang.ts';

export type { ManualText };

const texts = {
  documentTitle: {
    en: 'Online Residence Application System — User Manual',
    ja: '在留申請オンラインシステム 操作マニュアル',
  },
  subtitle: {
    en: 'Applicant (at a counter) for electronic issuance of a certificate of eligibility',
    ja: '在留資格認定証明書の電子交付申請(窓口)申請者',
  },
  generated: {
    en: 'Generated on {date} from the running system by “npm run manual”.',
    ja: '{date}に稼働中のシステムから「npm run manual」で生成しました。',
  },
  contents: { en: 'Table of Contents', ja: '目次' },
  introduction: { en: 'Introduction', ja: 'はじめに' },
  aboutTitle: { en: 'About This Manual', ja: '本書について' },
  about: {
    en: 'This manual explains how to use the Online Residence Application System. It is generated from the system itself: the pages, their transitions and the steps below are those of the running system, walked in a browser along the paths generated from its state machine, and the numbered items and their descriptions come from the catalogue the page templates are marked with. Each page is shown as it opens and, where it has a form, showing the errors of an invalid entry.',
    ja: '本書は、在留申請オンラインシステムの操作方法を説明します。本書はシステム自体から生成しています。画面、画面遷移及び操作手順は、状態機械から生成した経路に沿ってブラウザで操作した稼働中のシステムのものであり、番号付きの画面項目とその説明は、画面テンプレートに付された項目の一覧から取っています。各画面は表示直後の状態と、入力欄のある画面では誤った入力をしたときのエラー表示の状態を示します。',
  },
  structureTitle: {
    en: 'Pages and Overall Structure of the Online Residence Application System',
    ja: '在留申請オンラインシステムの画面と全体構成',
  },
  structure: {
    en: 'The pages and how they connect. Each arrow is labelled with the button or link that makes the move. Moves the system makes itself are drawn once.',
    ja: '画面と画面の遷移を示します。矢印には、遷移させるボタン又はリンクの名称を記載しています。システム自体が行う遷移は1か所にまとめて記載しています。',
  },
  commonTitle: { en: 'Online Residence Application System Pages', ja: '在留申請オンラインシステムの画面' },
  basicOperations: { en: 'Basic Operations', ja: '基本操作' },
  errorList: { en: 'List of Error Messages', ja: 'エラーメッセージ一覧' },
  errorListIntro: {
    en: 'Every message the system shows, with the pages where it can appear.',
    ja: 'システムが表示する全てのメッセージと、表示される画面です。',
  },
  code: { en: 'Code', ja: 'コード' },
  japanese: { en: 'Japanese', ja: '日本語' },
  english: { en: 'English', ja: '英語' },
  shownOn: { en: 'Shown on', ja: '表示される画面' },
  descriptionOf: { en: 'Description of the {page}', ja: '{page}の説明' },
  itemNo: { en: 'Screen item No.', ja: '項番' },
  item: { en: 'On-screen item', ja: '画面項目' },
  description: { en: 'Description', ja: '説明' },
  clean: { en: 'The {page} as it opens.', ja: '{page}(表示直後)' },
  withErrors: { en: 'The {page} showing errors.', ja: '{page}(エラー表示)' },
  startOn: { en: 'Start on the {page}.', ja: '{page}から開始します。' },
  follow: { en: 'Follow {section} “{title}”.', ja: '{section}「{title}」の手順を行います。' },
  click: { en: 'On the {page}, click “{button}”.', ja: '{page}で「{button}」を押下します。' },
  enter: {
    en: 'On the {page}, enter {fields}, then click “{button}”.',
    ja: '{page}で{fields}を入力し、「{button}」を押下します。',
  },
  choose: { en: '{field} (chosen with “{button}”)', ja: '{field}(「{button}」で選択)' },
  openLink: {
    en: 'Open the link in the email the system sent you.',
    ja: 'システムから届いた電子メールに記載されたURLを開きます。',
  },
  opens: { en: 'The {page} opens.', ja: '{page}が表示されます。' },
  openLinkMove: { en: 'Link in the email', ja: '電子メールのURL' },
  municipalityMove: { en: 'Choose the municipality', ja: '市区町村を選択' },
  anyPage: { en: 'Any page', ja: '全ての画面' },
  afterLogin: { en: 'After login', ja: 'ログイン後' },
  invalidOperationMove: {
    en: 'Invalid operation (e.g. the browser’s Back button)',
    ja: '無効な操作(ブラウザの「戻る」ボタン等)',
  },
  timeoutMove: { en: 'No operation for a set period (time-out)', ja: '一定時間操作なし(タイムアウト)' },
  errorPage: { en: 'Error page', ja: 'エラー画面' },
  limitedPages: {
    en: 'the error page, after too many attempts from the {pages}',
    ja: '{pages}で試行回数が上限を超えた後のエラー画面',
  },
  anyForm: {
    en: 'the error page, after a form was sent too large or malformed',
    ja: '大きすぎる又は正しくない形式の送信の後のエラー画面',
  },
  crossSite: {
    en: 'the error page, for a request sent from another site',
    ja: '他のサイトから送信された要求のエラー画面',
  },
  foreignBody: {
    en: 'the error page, after a form was sent in a format the pages never send',
    ja: '画面が送信しない形式で送信された後のエラー画面',
  },
  unknownUrl: { en: 'the error page, for an address that is no page', ja: '存在しないURLのエラー画面' },
  systemDown: {
    en: 'the error page, while the system is unavailable',
    ja: 'システムを利用できない間のエラー画面',
  },
  page: { en: 'page', ja: 'ページ' },
  pageCount: { en: '{n} pages', ja: '{n}ページ' },
  listSeparator: { en: ', ', ja: '、' },
} as const satisfies Record<string, ManualText>;

export type TextKey = keyof typeof texts;

/** A sentence of the manual in a language, `{name}` filled from `params`. */
export function say(key: TextKey, lang: Lang, params: Record<string, string> = {}): string {
  return texts[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

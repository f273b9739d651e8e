/**
 * The Japanese texts use one term per concept (the glossary of the Japanese copy review): every
 * Japanese string of the pages, the error catalogue, the emails and the manual's catalogue is read,
 * and none may use a term the glossary replaces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualPages, manualSections } from '../../../src/flow/manual-items.ts';
import { errorCatalogue } from '../../../src/i18n/errors.ts';
import { messages } from '../../../src/i18n/messages.ts';
import { SUBJECTS } from '../../../src/mail/render.ts';

const mailDir = join(import.meta.dirname, '..', '..', '..', 'templates', 'mail');

/** Every Japanese text, named by where it is. */
function japaneseTexts(): [where: string, text: string][] {
  const catalogue = [
    ...Object.entries(manualSections).flatMap(([section, { title, items, ...rest }]) => [
      [`manual ${section}`, title.ja] as [string, string],
      ...('note' in rest ? [[`manual ${section} note`, rest.note.ja] as [string, string]] : []),
      ...items.flatMap((item, i): [string, string][] => [
        [`manual ${section}-${i + 1}`, item.name.ja],
        [`manual ${section}-${i + 1}`, item.description.ja],
      ]),
    ]),
    ...Object.entries(manualPages).flatMap(([path, page]): [string, string][] => [
      [`manual page ${path}`, page.title.ja],
      ...(page.note ? [[`manual page ${path}`, page.note.ja] as [string, string]] : []),
    ]),
  ];
  const mails = readdirSync(mailDir)
    .filter((file) => file.includes('.ja.') || file === '_layout.html.eta')
    .map((file): [string, string] => [`templates/mail/${file}`, readFileSync(join(mailDir, file), 'utf8')]);
  return [
    ...Object.entries(messages).map(([key, text]): [string, string] => [`messages ${key}`, text.ja]),
    ...Object.entries(errorCatalogue).map(([code, text]): [string, string] => [code, text.ja]),
    ...Object.entries(SUBJECTS).map(([template, text]): [string, string] => [`subject ${template}`, text.ja]),
    ...mails,
    ...catalogue,
  ];
}

/** The glossary: for each concept, the words the Japanese texts must not use, and what to use. */
const glossary: [concept: string, avoid: RegExp, use: string][] = [
  ['the login identifier', /利用者ID|ユーザー?ID/, '認証ID'],
  ['the login page link', /パスワードを忘れた方/, 'パスワードを忘れた場合'],
  ['the forgotten-password flow', /パスワードリセット/, 'パスワード再設定'],
  ['setting a password from the emailed URL', /パスワード設定/, 'パスワード登録'],
  ['changing the password while logged in', /パスワード更新/, 'パスワード変更'],
  ['registration by this user category', /利用者情報登録|新規登録/, '利用者登録'],
  ['the notice of a change', /更新完了のお知らせ/, '〜変更完了のお知らせ'],
  ['the phone field', /連絡先番号/, '連絡先'],
  ['the new address', /新しい本邦/, '本邦における新しい住居地'],
  ['account operations', /手続き/, '手続'],
  [
    'account operations are not applications',
    /再設定の申請|利用者登録の申請|利用者登録が申請|もう一度申請|による申請/,
    '手続 (申請 is 在留申請)',
  ],
  ['the honorific before 漢語', /ご(利用|確認|連絡|本人|了承)/, '御利用, 御確認, 御連絡, 御本人, 御了承'],
  ['pressing a button', /押してください|クリックしてください/, '「〇〇」ボタンを押下してください'],
  ['the start page', /ホーム(?!ページ)|HP/, 'トップページ / 出入国在留管理庁ホームページ'],
  ['invalid navigation', /不正な操作/, '無効な操作'],
  ['regional offices', /入管|地方局/, '地方出入国在留管理官署'],
  ['the lapse of a link', /有効期間を過ぎ|有効期間が切れ/, '有効期限を過ぎた場合'],
  [
    'the help-desk hours',
    /平日9時|(?<!翌年)1月3日/,
    '月曜日～金曜日 9:00～17:00（…12月29日から翌年1月3日までを除く）',
  ],
  ['a colon after Japanese', /[\u3040-\u30ff\u4e00-\u9fff]:/, '全角の「：」'],
  ['you', /あなた/, '(no pronoun)'],
];

describe('the Japanese texts', () => {
  const texts = japaneseTexts();

  it('are all read: pages, errors, email subjects and bodies, the manual catalogue', () => {
    expect(texts.length).toBeGreaterThan(300);
  });

  for (const [concept, avoid, use] of glossary) {
    it(`use one term for ${concept}: ${use}`, () => {
      const found = texts.filter(([, text]) => avoid.test(text)).map(([where, text]) => `${where}: ${text}`);
      expect(found).toEqual([]);
    });
  }

  it('call the login identifier 認証ID on every label', () => {
    for (const key of ['login.userId', 'user.userId', 'user.authId'] as const) {
      expect(messages[key].ja).toBe('認証ID');
    }
  });

  it('name every email 【在留申請オンラインシステム】〇〇のお知らせ', () => {
    for (const subject of Object.values(SUBJECTS)) expect(subject.ja).toMatch(/のお知らせ$/);
  });
});

/**
 * The manual's numbered on-screen items (the "Screen item No." tables of sections 1.4, 2.1.3, 2.2.2,
 * 2.3, 2.4.2, 2.4.3, 2.4.4, 2.4.6, 2.4.7, 2.5.2 and 2.5.3: 53 items), and which page state of the
 * session machine shows each one. Written for people to read: it says what the manual says, in
 * English as the manual has it and in Japanese as the agency would write it, and it is the input
 * of the generated manual.
 *
 * Templates mark each item with `data-manual-item="<section>-<n>"` (several numbers, separated by
 * spaces, when one element is several items: the Back button of the User Information page is 1.4-7,
 * 2.4.2-2 and 2.4.6-2). test/paths/manual-items.test.ts renders every page state in both languages
 * and checks its marks against `manualPages`.
 */

export interface ManualText {
  en: string;
  ja: string;
}

export interface ManualItem {
  /** The on-screen item, as the manual's table names it. */
  name: ManualText;
  description: ManualText;
}

export interface ManualSection {
  title: ManualText;
  /** The items in the manual's order: item n is `items[n - 1]`. */
  items: ManualItem[];
  /** How the section's items are placed, where the manual describes no single page. */
  note?: ManualText;
}

const backToPreviousWarning: ManualText = {
  en: "Please note that clicking your browser's Back button or pressing the backspace key will not move back to the previous page; instead, it will be considered an invalid operation and you will be logged out of the system.",
  ja: 'ブラウザの「戻る」ボタンやBackSpaceキーでは前の画面に戻れません。無効な操作となり、システムからログアウトします。',
};

const withWarning = (text: ManualText): ManualText => ({
  en: `${text.en} ${backToPreviousWarning.en}`,
  ja: `${text.ja}${backToPreviousWarning.ja}`,
});

const logOutLink: ManualItem = {
  name: { en: 'Log out link', ja: 'ログアウトリンク' },
  description: {
    en: 'Click this link to log out of the Online Residence Application System.',
    ja: 'クリックすると、在留申請オンラインシステムからログアウトします。',
  },
};

const errorMessageOn = (button: ManualText): ManualItem => ({
  name: { en: 'Error message', ja: 'エラーメッセージ' },
  description: {
    en: `Upon clicking the ${button.en} button, an error message appears if there is an error in the entered information.`,
    ja: `「${button.ja}」ボタンを押下したときに、入力内容に誤りがある場合は、エラーメッセージが表示されます。`,
  },
});

const backToUserInfoDisplay: ManualItem = {
  name: { en: 'Back button', ja: '戻るボタン' },
  description: withWarning({
    en: 'Click this button to return to the User Information Display page.',
    ja: '押下すると、利用者情報表示画面に戻ります。',
  }),
};

const backToMenu: ManualItem = {
  name: { en: 'Back button', ja: '戻るボタン' },
  description: withWarning({
    en: 'Click this button to return to the Menu page.',
    ja: '押下すると、メニュー画面に戻ります。',
  }),
};

const disabled: ManualText = { en: 'Disabled.', ja: '使用できません。' };

export const manualSections = {
  '1.4': {
    title: { en: 'Online Residence Application System Pages', ja: '在留申請オンラインシステムの画面' },
    note: {
      en: 'These items are common to all pages, each where the page has it: the process and current step on every page of a procedure (registration, password resetting, password registration, user information change, password change); the error message and the "!" marks on every input page once the entered information has an error; "Required" on every input page with required items; the Search button beside each address in Japan (prefecture and municipality); the Confirm button on the User Information Input page of the registration; the Back button and the Back to Homepage link on every page that offers them. The manual numbers no item for the timeout (1.3) or the invalid operation (1.4 item 7): their pages offer the Back to Homepage link.',
      ja: '全画面に共通する項目です。それぞれ、その項目がある画面に表示されます。手続の流れと現在の手順は各手続(利用者登録、パスワード再設定、パスワード登録、利用者情報変更、パスワード変更)の全画面に、エラーメッセージと「!」マークは入力内容に誤りがあるときに各入力画面に、「必須」は必須項目のある入力画面に、検索ボタンは本邦における住居地(都道府県・市区町村)の欄に、確認ボタンは利用者登録の利用者情報入力画面に、戻るボタンとトップページへ戻るリンクはそれらのある全画面に表示されます。タイムアウト(1.3)と無効な操作(1.4の7)には番号の付いた項目はなく、それぞれの画面にはトップページへ戻るリンクがあります。',
    },
    items: [
      {
        name: { en: 'Process and current step', ja: '手続の流れと現在の手順' },
        description: {
          en: 'This shows the process flow and the current step.',
          ja: '手続の流れと、現在の手順を表示します。',
        },
      },
      {
        name: { en: 'Error message', ja: 'エラーメッセージ' },
        description: {
          en: 'On each input page, if there is an error in the entered information, an error message is shown in red at the top of the page.',
          ja: '各入力画面で、入力内容に誤りがある場合は、画面上部にエラーメッセージを赤字で表示します。',
        },
      },
      {
        name: { en: 'Required item', ja: '必須項目' },
        description: {
          en: 'The word "Required" is shown next to items that require information to be entered. Failure to enter information will result in an error, and prevent you from proceeding to the next step.',
          ja: '入力が必要な項目には「必須」と表示します。入力しない場合はエラーとなり、次の手順に進むことができません。',
        },
      },
      {
        name: { en: 'Exclamation mark ("!")', ja: '「!」マーク' },
        description: {
          en: 'An exclamation mark ("!") indicates an item where an error has occurred. Note, however, that all items will have "!" when the information on your Residence Card and the entered information do not match.',
          ja: 'エラーが発生した項目に「!」マークを表示します。ただし、在留カードの情報と入力内容が一致しない場合は、全ての項目に「!」マークを表示します。',
        },
      },
      {
        name: { en: 'Search button', ja: '検索ボタン' },
        description: {
          en: 'Click this button to select your address information when filling out the Address in Japan (prefecture and municipality), Address (prefecture and municipality), and Location (prefecture and municipality) fields.',
          ja: '本邦における住居地(都道府県・市区町村)、住所(都道府県・市区町村)、所在地(都道府県・市区町村)を入力する際に押下し、住所情報を選択します。',
        },
      },
      {
        name: { en: 'Confirm button', ja: '確認ボタン' },
        description: {
          en: 'On pages with an input field, check that the information you have entered is accurate and then click the Confirm button. You will move to the next page if the entered information has no errors.',
          ja: '入力欄のある画面で、入力内容に誤りがないことを確認してから押下します。入力内容に誤りがない場合は、次の画面に進みます。',
        },
      },
      {
        name: { en: 'Back button', ja: '戻るボタン' },
        description: withWarning({
          en: 'Click this button to return to the previous page.',
          ja: '押下すると、前の画面に戻ります。',
        }),
      },
      {
        name: { en: 'Back to Homepage link', ja: 'トップページへ戻るリンク' },
        description: {
          en: 'Click this link to return to the homepage.',
          ja: 'クリックすると、トップページに戻ります。',
        },
      },
    ],
  },
  '2.1.3': {
    title: { en: 'Description of the Homepage', ja: 'トップページの説明' },
    items: [
      {
        name: { en: 'Page language', ja: '表示言語' },
        description: {
          en: 'The page content can be displayed in the Japanese or English languages. Select the language you prefer.',
          ja: '画面の表示を日本語又は英語に切り替えることができます。希望する言語を選択してください。',
        },
      },
      {
        name: { en: 'Notice', ja: 'お知らせ' },
        description: {
          en: 'This section displays notices on the use of the Online Residence Application System.',
          ja: '在留申請オンラインシステムの利用に関するお知らせを表示します。',
        },
      },
      {
        name: {
          en: 'Login button for [Applicant (at a counter) for electronic issuance of a certificate of eligibility]',
          ja: '「在留資格認定証明書の電子交付を希望する窓口申請者」のログインボタン',
        },
        description: { en: 'Opens the Login page.', ja: 'ログイン画面を表示します。' },
      },
      {
        name: {
          en: 'User Registration button for [Applicant (at a counter) for electronic issuance of a certificate of eligibility]',
          ja: '「在留資格認定証明書の電子交付を希望する窓口申請者」の利用者登録ボタン',
        },
        description: { en: 'Opens the User Information Input page.', ja: '利用者情報入力画面を表示します。' },
      },
    ],
  },
  '2.2.2': {
    title: { en: 'Description of the Login Page', ja: 'ログイン画面の説明' },
    items: [
      errorMessageOn({ en: 'Login', ja: 'ログイン' }),
      {
        name: { en: 'User ID', ja: '認証ID' },
        description: {
          en: 'Enter the user ID you received in an email from the Online Residence Application System.',
          ja: '在留申請オンラインシステムから電子メールで通知された認証IDを入力します。',
        },
      },
      {
        name: { en: 'Password', ja: 'パスワード' },
        description: { en: 'Enter the password you set.', ja: '登録したパスワードを入力します。' },
      },
      {
        name: { en: 'Login button', ja: 'ログインボタン' },
        description: {
          en: 'If the entered information has no errors, the Menu page opens.',
          ja: '入力内容に誤りがない場合は、メニュー画面を表示します。',
        },
      },
      {
        name: { en: 'Forgot your password? link', ja: '「パスワードを忘れた場合」リンク' },
        description: {
          en: 'If you have forgotten your password, you can reset it.',
          ja: 'パスワードを忘れた場合に、パスワードを再設定することができます。',
        },
      },
      {
        name: {
          en: 'Immigration Services Agency website link',
          ja: '出入国在留管理庁ホームページへのリンク',
        },
        description: {
          en: 'Click this link to access the Immigration Services Agency website.',
          ja: 'クリックすると、出入国在留管理庁ホームページを表示します。',
        },
      },
      {
        name: { en: 'Back to Homepage link', ja: 'トップページへ戻るリンク' },
        description: {
          en: 'Click this link to return to the homepage.',
          ja: 'クリックすると、トップページに戻ります。',
        },
      },
    ],
  },
  '2.3': {
    title: { en: 'Description of the Menu Page', ja: 'メニュー画面の説明' },
    items: [
      {
        name: {
          en: 'Enter application information (Fill out applications individually) button',
          ja: '申請情報入力(個別)ボタン',
        },
        description: disabled,
      },
      {
        name: {
          en: 'Enter application information (Fill out multiple applications) button',
          ja: '申請情報入力(一括)ボタン',
        },
        description: disabled,
      },
      {
        name: { en: 'Application information search button', ja: '申請情報検索ボタン' },
        description: disabled,
      },
      {
        name: { en: 'User information update button', ja: '利用者情報更新ボタン' },
        description: { en: 'Opens the User Information page.', ja: '利用者情報表示画面を表示します。' },
      },
      {
        name: logOutLink.name,
        description: {
          en: 'Click to log out of the Online Residence Application System.',
          ja: 'クリックすると、在留申請オンラインシステムからログアウトします。',
        },
      },
    ],
  },
  '2.4.2': {
    title: {
      en: 'Description of the User Information Display (Change User Information) Page',
      ja: '利用者情報表示(利用者情報変更)画面の説明',
    },
    items: [
      {
        name: { en: 'Change user information button', ja: '利用者情報変更ボタン' },
        description: {
          en: 'Click this button to open the User Information Input page.',
          ja: '押下すると、利用者情報入力画面を表示します。',
        },
      },
      backToMenu,
      logOutLink,
    ],
  },
  '2.4.3': {
    title: { en: 'Description of the Change User Information Page', ja: '利用者情報変更画面の説明' },
    items: [
      errorMessageOn({ en: 'Change', ja: '変更' }),
      {
        name: {
          en: 'New address in Japan (prefecture and municipality)',
          ja: '本邦における新しい住居地(都道府県・市区町村)',
        },
        description: {
          en: 'Enter your new office location (prefecture and municipality). Press the Search button to select the new prefecture and municipality.',
          ja: '新しい住居地(都道府県・市区町村)を入力します。検索ボタンを押下して、新しい都道府県・市区町村を選択してください。',
        },
      },
      {
        name: {
          en: 'New address in Japan (street and house number)',
          ja: '本邦における新しい住居地(町名・番地・号・建物名等)',
        },
        description: {
          en: 'Enter your new office location (street and house number).',
          ja: '新しい住居地(町名・番地・号・建物名等)を入力します。',
        },
      },
      {
        name: { en: 'New contact number', ja: '新しい連絡先' },
        description: {
          en: 'Enter your new contact number (phone number).',
          ja: '新しい連絡先(電話番号)を入力します。',
        },
      },
      {
        name: { en: 'New email address', ja: '新しいメールアドレス' },
        description: { en: 'Enter your new email address.', ja: '新しいメールアドレスを入力します。' },
      },
      {
        name: { en: 'New email address (confirm)', ja: '新しいメールアドレス(確認)' },
        description: {
          en: 'Enter your new email address again to confirm it.',
          ja: '確認のため、新しいメールアドレスをもう一度入力します。',
        },
      },
      {
        name: { en: 'Change button', ja: '変更ボタン' },
        description: {
          en: 'Navigates to the Update Complete page if there are no errors with the entered information.',
          ja: '入力内容に誤りがない場合は、更新完了画面を表示します。',
        },
      },
      backToUserInfoDisplay,
      logOutLink,
    ],
  },
  '2.4.4': {
    title: { en: 'Description of the Update Complete Page', ja: '更新完了画面の説明' },
    items: [
      {
        name: { en: 'Back to the User Information page button', ja: '利用者情報画面へ戻るボタン' },
        description: {
          en: 'Click this button to return to the User Information Display page.',
          ja: '押下すると、利用者情報表示画面に戻ります。',
        },
      },
      logOutLink,
    ],
  },
  '2.4.6': {
    title: {
      en: 'Description of the User Information Display Page (Password Change)',
      ja: '利用者情報表示(パスワード変更)画面の説明',
    },
    items: [
      {
        name: { en: 'Change password button', ja: 'パスワード変更ボタン' },
        description: {
          en: 'Click this button to open the Password Input page.',
          ja: '押下すると、パスワード入力画面を表示します。',
        },
      },
      backToMenu,
      logOutLink,
    ],
  },
  '2.4.7': {
    title: { en: 'Description of the Password Input Page', ja: 'パスワード入力画面の説明' },
    items: [
      errorMessageOn({ en: 'Change', ja: '変更' }),
      {
        name: { en: 'Current password', ja: '現在のパスワード' },
        description: { en: 'Enter your current password.', ja: '現在のパスワードを入力します。' },
      },
      {
        name: { en: 'New password', ja: '新しいパスワード' },
        description: { en: 'Enter your new password.', ja: '新しいパスワードを入力します。' },
      },
      {
        name: { en: 'New password (confirm)', ja: '新しいパスワード(確認)' },
        description: {
          en: 'Re-enter your new password to confirm it.',
          ja: '確認のため、新しいパスワードをもう一度入力します。',
        },
      },
      {
        name: { en: 'Change button', ja: '変更ボタン' },
        description: {
          en: 'If the entered information has no errors, the Update Complete page opens.',
          ja: '入力内容に誤りがない場合は、更新完了画面を表示します。',
        },
      },
      backToUserInfoDisplay,
      logOutLink,
    ],
  },
  '2.5.2': {
    title: { en: 'Description of the User Information Confirmation Page', ja: '利用者情報確認画面の説明' },
    items: [
      errorMessageOn({ en: 'Send', ja: '送信' }),
      {
        name: { en: 'User ID', ja: '認証ID' },
        description: { en: 'Enter your user ID.', ja: '認証IDを入力します。' },
      },
      {
        name: { en: 'Email address', ja: 'メールアドレス' },
        description: { en: 'Enter your email address.', ja: 'メールアドレスを入力します。' },
      },
      {
        name: { en: 'Send button', ja: '送信ボタン' },
        description: {
          en: 'If the entered information has no errors, the User Information Confirmation Completion page opens.',
          ja: '入力内容に誤りがない場合は、利用者情報確認完了画面を表示します。',
        },
      },
    ],
  },
  '2.5.3': {
    title: {
      en: 'Description of the User Information Confirmation Completion Page',
      ja: '利用者情報確認完了画面の説明',
    },
    items: [
      {
        name: { en: 'Back to the login page button', ja: 'ログイン画面へ戻るボタン' },
        description: {
          en: 'Click this button to return to the Login page.',
          ja: '押下すると、ログイン画面に戻ります。',
        },
      },
    ],
  },
} as const satisfies Record<string, ManualSection>;

export type SectionId = keyof typeof manualSections;

/** `2.2.2-5`: the section and the item's number in its table. */
export type ItemId = `${SectionId}-${number}`;

/** The item an id names, or undefined when its section has no such number. */
export function manualItem(id: string): ManualItem | undefined {
  const cut = id.lastIndexOf('-');
  const section = (manualSections as Record<string, ManualSection>)[id.slice(0, cut)];
  return section?.items[Number(id.slice(cut + 1)) - 1];
}

/** Every item id of the manual, in the manual's order. */
export function allItemIds(): ItemId[] {
  return Object.entries(manualSections).flatMap(([section, { items }]) =>
    items.map((_, i) => `${section}-${i + 1}` as ItemId),
  );
}

export interface ManualPage {
  /** The page's name, as the manual (or, where it has none, the page itself) calls it. */
  title: ManualText;
  /** The manual's sections that describe this page. */
  sections: SectionId[];
  /** The items the page always shows. */
  items: ItemId[];
  /** The items it shows once its form has errors (the error message, the "!" marks). */
  onError?: ItemId[];
  /** What the manual says of the page beyond its items. */
  note?: ManualText;
}

const formErrors = (pageItem?: ItemId): ItemId[] => ['1.4-2', '1.4-4', ...(pageItem ? [pageItem] : [])];

/** For each page state of the session machine, by its path, what the manual shows on it. */
export const manualPages: Record<string, ManualPage> = {
  home: {
    title: { en: 'Homepage', ja: 'トップページ' },
    sections: ['2.1.3'],
    items: ['2.1.3-1', '2.1.3-2', '2.1.3-3', '2.1.3-4'],
  },
  login: {
    title: { en: 'Login page', ja: 'ログイン画面' },
    sections: ['2.2.2', '1.4'],
    items: ['2.2.2-2', '2.2.2-3', '2.2.2-4', '2.2.2-5', '2.2.2-6', '2.2.2-7', '1.4-3', '1.4-8'],
    onError: formErrors('2.2.2-1'),
  },
  'registration.input': {
    title: { en: 'User Information Input page (registration)', ja: '利用者情報入力画面(利用者登録)' },
    sections: ['1.4'],
    items: ['1.4-1', '1.4-3', '1.4-5', '1.4-6', '1.4-8'],
    onError: formErrors(),
    note: {
      en: 'The manual shows the registration in 2.1.2 without a table of items; the items common to all pages apply.',
      ja: 'マニュアルの2.1.2は利用者登録の手順を示し、項目の表はありません。全画面に共通する項目が該当します。',
    },
  },
  'registration.addressSearch': {
    title: { en: 'Address search (registration)', ja: '住居地検索(利用者登録)' },
    sections: ['1.4'],
    items: ['1.4-1', '1.4-7', '1.4-8'],
    onError: formErrors(),
    note: {
      en: 'Opened with the Search button (1.4 item 5): the prefecture, then the municipality.',
      ja: '検索ボタン(1.4の5)で表示し、都道府県、市区町村の順に選択します。',
    },
  },
  'registration.confirm': {
    title: {
      en: 'Confirmation of the entered information (registration)',
      ja: '入力内容確認画面(利用者登録)',
    },
    sections: ['1.4'],
    items: ['1.4-1', '1.4-7', '1.4-8'],
  },
  'registration.complete': {
    title: { en: 'Registration received page', ja: '利用者登録受付完了画面' },
    sections: ['1.4'],
    items: ['1.4-1', '1.4-8'],
  },
  forgotPassword: {
    title: { en: 'User Information Confirmation page', ja: '利用者情報確認画面' },
    sections: ['2.5.2', '1.4'],
    items: ['2.5.2-2', '2.5.2-3', '2.5.2-4', '1.4-1', '1.4-3', '1.4-7', '1.4-8'],
    onError: formErrors('2.5.2-1'),
  },
  resetRequested: {
    title: { en: 'User Information Confirmation Completion page', ja: '利用者情報確認完了画面' },
    sections: ['2.5.3', '1.4'],
    items: ['2.5.3-1', '1.4-1'],
  },
  linkInvalid: {
    title: { en: 'Invalid link page', ja: '無効なURL画面' },
    sections: ['1.4'],
    items: ['1.4-8'],
    note: {
      en: 'Shown when an emailed link has been used, has expired or is unknown; the manual (2.5.1) only says a link leads to the Password Registration page.',
      ja: '電子メールのURLが使用済み、有効期限切れ又は不明の場合に表示します。マニュアル(2.5.1)は、URLからパスワード登録画面に進むことのみを記載しています。',
    },
  },
  passwordRegistration: {
    title: { en: 'Password Registration page', ja: 'パスワード登録画面' },
    sections: ['1.4'],
    items: ['1.4-1', '1.4-3', '1.4-8'],
    onError: formErrors(),
    note: {
      en: 'Opened from the link in the email (2.5.1), after a registration or a password reset.',
      ja: '利用者登録又はパスワード再設定の後、電子メールに記載されたURLから表示します(2.5.1)。',
    },
  },
  passwordRegistered: {
    title: { en: 'Password registration complete page', ja: 'パスワード登録完了画面' },
    sections: ['1.4'],
    items: ['1.4-1'],
  },
  'signedIn.menu': {
    title: { en: 'Menu page', ja: 'メニュー画面' },
    sections: ['2.3'],
    items: ['2.3-1', '2.3-2', '2.3-3', '2.3-4', '2.3-5'],
  },
  'signedIn.userInfo': {
    title: { en: 'User Information Display page', ja: '利用者情報表示画面' },
    sections: ['2.4.2', '2.4.6', '1.4'],
    items: ['2.4.2-1', '2.4.2-2', '2.4.2-3', '2.4.6-1', '2.4.6-2', '2.4.6-3', '1.4-7'],
    note: {
      en: 'The manual describes this one page twice: for changing user information (2.4.2) and for changing the password (2.4.6).',
      ja: 'マニュアルはこの画面を、利用者情報の変更(2.4.2)とパスワードの変更(2.4.6)の2か所で説明しています。',
    },
  },
  'signedIn.changeUserInfo': {
    title: { en: 'Change User Information page', ja: '利用者情報変更画面' },
    sections: ['2.4.3', '1.4'],
    items: [
      '2.4.3-2',
      '2.4.3-3',
      '2.4.3-4',
      '2.4.3-5',
      '2.4.3-6',
      '2.4.3-7',
      '2.4.3-8',
      '2.4.3-9',
      '1.4-1',
      '1.4-5',
      '1.4-7',
    ],
    onError: formErrors('2.4.3-1'),
  },
  'signedIn.addressSearch': {
    title: { en: 'Address search (change of user information)', ja: '住居地検索(利用者情報変更)' },
    sections: ['1.4'],
    items: ['1.4-1', '1.4-7'],
    onError: formErrors(),
    note: {
      en: 'Opened with the Search button (1.4 item 5): the prefecture, then the municipality.',
      ja: '検索ボタン(1.4の5)で表示し、都道府県、市区町村の順に選択します。',
    },
  },
  'signedIn.userInfoUpdated': {
    title: { en: 'Update Complete page', ja: '更新完了画面' },
    sections: ['2.4.4', '1.4'],
    items: ['2.4.4-1', '2.4.4-2', '1.4-1'],
    note: {
      en: 'When the email address changes, the page names the new address, to which a notification of the change is sent (the former address is told too). When other information changes, there is no on-screen message about an email and no email (2.4.1).',
      ja: 'メールアドレスを変更した場合は、新しいメールアドレスを表示し、そのメールアドレスに変更完了のお知らせを送信します(変更前のメールアドレスにもお知らせします。)。メールアドレス以外の情報を変更した場合は、メールに関する表示はなく、メールも送信しません(2.4.1)。',
    },
  },
  'signedIn.changePassword': {
    title: { en: 'Password Input page', ja: 'パスワード入力画面' },
    sections: ['2.4.7', '1.4'],
    items: ['2.4.7-2', '2.4.7-3', '2.4.7-4', '2.4.7-5', '2.4.7-6', '2.4.7-7', '1.4-1', '1.4-3', '1.4-7'],
    onError: formErrors('2.4.7-1'),
  },
  'signedIn.passwordChanged': {
    title: { en: 'Update Complete page (password change)', ja: '更新完了画面(パスワード変更)' },
    sections: ['2.4.4', '1.4'],
    items: ['2.4.4-1', '2.4.4-2', '1.4-1'],
    note: {
      en: 'The password change ends on the Update Complete page (2.4.5), and a notification of the change is sent to the registered email address.',
      ja: 'パスワードの変更は更新完了画面で終わり(2.4.5)、登録されているメールアドレスに変更完了のお知らせを送信します。',
    },
  },
  emailRestored: {
    title: { en: 'Email address change undone page', ja: 'メールアドレス変更取消し完了画面' },
    sections: [],
    items: [],
    note: {
      en: 'Beyond the manual: opened from the link in the notice sent to the former email address after a change (2.4.1). The former address is registered again and the user ID is logged out everywhere; whoever did not make the change then resets the password.',
      ja: 'マニュアルにない画面です。メールアドレスの変更後に変更前のメールアドレスへ送信するお知らせ(2.4.1)のURLから表示します。変更前のメールアドレスを登録し直し、この認証IDでのログインをすべてログアウトします。変更に心当たりがない場合は、パスワードを再設定します。',
    },
  },
  restoreFailed: {
    title: { en: 'Email address change not undone page', ja: 'メールアドレス変更取消しエラー画面' },
    sections: ['1.4'],
    items: ['1.4-8'],
    note: {
      en: 'Beyond the manual: shown when the link in the notice to the former email address has been used, has expired or is unknown, or when another user has that address now.',
      ja: 'マニュアルにない画面です。変更前のメールアドレスへのお知らせのURLが使用済み、有効期限切れ若しくは不明の場合、又はそのメールアドレスを他の利用者が使用している場合に表示します。',
    },
  },
  loggedOut: {
    title: { en: 'Logged out page', ja: 'ログアウト完了画面' },
    sections: ['1.4'],
    items: ['1.4-8'],
  },
  invalidOperation: {
    title: { en: 'Invalid operation page', ja: '無効な操作画面' },
    sections: ['1.4'],
    items: ['1.4-8'],
    note: {
      en: "Shown after the browser's Back button, the backspace key or another out-of-sequence request: the system logs you out (1.4 item 7).",
      ja: 'ブラウザの「戻る」ボタンやBackSpaceキーなど、手順どおりでない操作の後に表示します。システムからログアウトします(1.4の7)。',
    },
  },
  accountLocked: {
    title: { en: 'Login suspended page', ja: 'ログイン停止画面' },
    sections: ['1.4'],
    items: ['1.4-8'],
    note: {
      en: 'Beyond the manual: shown when wrong current passwords on the Password Input page lock the account (the same limit as failed logins). The system logs you out; log in again after a while.',
      ja: 'マニュアル外：パスワード入力画面で現在のパスワードを続けて誤り、アカウントがロックされた場合に表示します(ログインの失敗と同じ上限)。システムからログアウトします。しばらく時間をおいてから再度ログインしてください。',
    },
  },
  timedOut: {
    title: { en: 'Session timed out page', ja: 'セッションタイムアウト画面' },
    sections: ['1.4'],
    items: ['1.4-8'],
    note: {
      en: 'Shown after a set period without activity (at least 30 minutes, 1.3): log in again. The page also offers the way to the Login page.',
      ja: '一定時間(30分以上、1.3)操作がなかった場合に表示します。もう一度ログインしてください。この画面からログイン画面に進むこともできます。',
    },
  },
};

/**
 * Every sentence and label of the pages, Japanese and English side by side. English button and
 * label texts are the manual's on-screen item names (DESIGN.md, "Page fidelity").
 */
import type { Lang } from './lang.ts';

type Text = { ja: string; en: string };

/** The manual's "Update complete" page (2.4.4), which a password change ends on too (2.4.5). */
const updateCompleteTitle: Text = { ja: '更新完了', en: 'Completion of update' };
const updateCompleteLead: Text = {
  ja: '利用者情報の更新が完了しました。',
  en: 'The update of your user information has been completed',
};

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
  'lang.switchLabel': { ja: '表示言語', en: 'Page language' },
  'footer.errors': { ja: 'エラーメッセージ一覧', en: 'List of error messages' },
  'header.userName': { ja: '利用者氏名', en: 'User name' },
  'header.lastLogin': { ja: '前回ログイン日時', en: 'Time and date of your last login' },
  'header.firstLogin': { ja: '(初回ログイン)', en: '(first login)' },
  'field.required': { ja: '必須', en: 'Required' },
  'errors.title': { ja: '入力内容に誤りがあります', en: 'There is a problem with the entered information' },
  /** One line of the error summary: the field's name, then the coded message. */
  'errors.line': { ja: '{field}：{message}', en: '{field}: {message}' },
  'title.errorPrefix': { ja: 'エラー：', en: 'Error: ' },
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
  'button.forgotPassword': { ja: 'パスワードを忘れた場合', en: 'Forgot your password?' },
  'button.backToUserInfo': { ja: '利用者情報画面へ戻る', en: 'Back to the User Information page' },
  'button.backToLogin': { ja: 'ログイン画面へ戻る', en: 'Back to the login page' },
  'button.goToLogin': { ja: 'ログイン画面へ進む', en: 'Go to the login page' },

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
    ja: 'この利用者区分は、本システムでは御利用いただけません。',
    en: 'This user category is not offered on this site.',
  },
  'home.terms': { ja: '利用規約', en: 'Terms of use' },
  'home.termsJa': { ja: '日本語', en: 'Japanese' },
  'home.termsEn': { ja: '英語', en: 'English' },
  // the homepage's guidance under Login, as the manual's homepage has it, and for this category
  'home.loginForeignNational': {
    ja: '外国人本人や法定代理人の方などが申請する場合は、「外国人本人・その他」のボタンを押下してください。',
    en: 'If you are a foreign national (applicant), a legal representative or similar, press the "Foreign national (applicant)/other" button.',
  },
  'home.loginCorporation': {
    ja: '所属機関の職員(個人事業主を含む)、弁護士・行政書士、公益法人の職員、登録支援機関の職員の方などが申請する場合は、「法人、弁護士・行政書士」のボタンを押下してください。',
    en: 'If you are a staff member of the organization the applicant is affiliated with (sole proprietors included), an attorney or administrative procedures legal specialist, a staff member of a public interest corporation or of a registered support organization, press the button for corporations, attorneys and administrative procedures legal specialists.',
  },
  'home.loginIntro': {
    ja: '在留資格認定証明書の電子交付を希望する窓口申請者の方がログインする場合は、「在留資格認定証明書の電子交付を希望する窓口申請者」のボタンを押下してください。',
    en: 'If you are an applicant (at a counter) for electronic issuance of a certificate of eligibility, press the "Applicant (at a counter) for electronic issuance of a certificate of eligibility" button to log in.',
  },
  /** A sentence with a link: `{link}` is where the link (`home.detailsLink`) goes. */
  'home.details': { ja: '詳細については、{link}を御確認ください。', en: 'For details, see the {link}.' },
  'home.detailsLink': {
    ja: '出入国在留管理庁ホームページ(オンラインでの申請手続)',
    en: "Immigration Services Agency's website (online application procedures)",
  },
  'home.registerIntro': {
    ja: '在留資格認定証明書の電子交付(電子メールでの受領)を希望する窓口申請者の方は、事前に利用者登録が必要となります。利用者登録をする場合は、「在留資格認定証明書の電子交付を希望する窓口申請者」のボタンを押下してください。',
    en: 'If you are an applicant (at a counter) who wishes to receive a certificate of eligibility electronically (by email), you must register as a user beforehand. To register, press the "Applicant (at a counter) for electronic issuance of a certificate of eligibility" button.',
  },
  'home.registerNeeded': {
    ja: '外国人本人、弁護士・行政書士、法定代理人等の方でオンライン申請を行う場合には、利用者登録が必要となります。',
    en: 'Foreign nationals, attorneys and administrative procedures legal specialists, legal representatives and others who apply online must register as users.',
  },
  'home.registerForeignNational': {
    ja: '外国人本人や法定代理人の方などが利用者登録をする場合は、「外国人本人・その他」のボタンを押下してください。',
    en: 'If you are a foreign national (applicant), a legal representative or similar, press the "Foreign national (applicant)/other" button to register.',
  },
  'home.registerAttorney': {
    ja: '弁護士・行政書士の方が利用者登録をする場合は、「弁護士・行政書士」のボタンを押下してください。',
    en: 'If you are an attorney or administrative procedures legal specialist, press the "Attorney/Administrative Procedures Legal Specialist" button to register.',
  },
  'home.registerOnline': {
    ja: 'オンラインで利用者登録が可能な方は、下記の「1 オンラインで利用者登録が可能な方」に記載していますので、確認の上、登録してください。',
    en: 'Who can register online is described in "1 Persons who can register as users online" below. Check it before you register.',
  },
  'home.documents': { ja: '利用者登録に関する資料', en: 'Documents on user registration' },
  'home.docWhoCanRegister': {
    ja: '1 オンラインで利用者登録が可能な方',
    en: '1 Persons who can register as users online',
  },
  'home.docPreparation': {
    ja: '2 利用者登録するための準備手続',
    en: '2 Preparations for user registration',
  },
  'home.docJpki': {
    ja: '公的個人認証サービスの利用者クライアントソフトのダウンロード(地方公共団体情報システム機構の公的個人認証サービスポータルサイトに移動します。)',
    en: 'Download the user client software of the Public Certification Service for Individuals (opens the J-LIS portal site of the service)',
  },

  // 2.2 Login
  'login.title': { ja: 'ログイン', en: 'Login' },
  'login.userId': { ja: '認証ID', en: 'User ID' },
  'login.userIdHint': {
    ja: '在留申請オンラインシステムからのメールに記載された認証ID(半角英小文字と半角数字、6文字以上20文字以内)を入力してください。大文字と全角文字は半角の小文字に変換します。',
    en: 'Enter the user ID you received in an email from the Online Residence Application System (1-byte lowercase letters and numbers, 6 to 20 characters). Capitals and 2-byte characters are converted to 1-byte lowercase.',
  },
  'login.password': { ja: 'パスワード', en: 'Password' },
  'login.aboutId': { ja: '認証IDについて', en: 'About your user ID' },
  'login.obtainId': {
    ja: '認証IDを取得するには、利用申出又は利用者登録を行ってください。',
    en: 'To obtain User ID, file a request to use the system or register a user.',
  },
  'login.staffRequest': {
    ja: '所属機関の職員、公益法人の職員又は登録支援機関の職員の方は、地方出入国在留管理官署に利用申出を行ってください。',
    en: 'If you are a staff member of the organization the applicant is affiliated with, a staff member of the public interest corporation, or a staff member of a registered support organization, please file a request to use the system with the regional immigration services office.',
  },
  'login.registerOnTop': {
    ja: '外国人本人、外国人の法定代理人、弁護士・行政書士又は在留資格認定証明書の電子交付を希望する窓口申請者の方は、トップページから利用者登録を行ってください。',
    en: 'If you are a foreign national (Applicant), a legal representative of a foreign national, an attorney or administrative procedures legal specialist, or an applicant (at a counter) for the electronic issuance of a certificate of eligibility, go to the top page to register as a user.',
  },
  'login.forgotId': {
    ja: '認証IDを忘れた場合は、地方出入国在留管理官署に認証IDの確認の申出を行ってください。',
    en: 'If you have forgotten your User ID, submit a request to the regional immigration services office to confirm it.',
  },
  /** A sentence with a link: `{link}` is where the link (`login.agencyLink`) goes. */
  'login.agencySite': {
    ja: '詳しくは、{link}を御確認ください。',
    en: 'For more information, see the {link}.',
  },
  'login.agencyLink': { ja: '出入国在留管理庁ホームページ', en: "Immigration Services Agency's website" },

  // 2.3 Menu
  'menu.title': { ja: 'メニュー', en: 'Menu' },
  'menu.residence': { ja: '在留申請', en: 'Residence application' },
  'menu.individual': {
    ja: '申請情報入力(個別)',
    en: 'Enter application information (Fill out applications individually)',
  },
  'menu.individualIntro': {
    ja: '「申請情報入力(個別)」ボタンを押下すると、申請情報を個別に入力できます。',
    en: 'You can enter the items individually by pressing down the application information entry button.',
  },
  'menu.blanket': { ja: '申請情報入力(一括)', en: 'Enter application information (Blanket)' },
  'menu.blanketIntro': {
    ja: '一括申請の情報を入力する場合は、下のボタンを押下してください。',
    en: 'To enter the information for a blanket application, please press the button below.',
  },
  'menu.search': { ja: '申請情報検索', en: 'Application information search' },
  'menu.searchIntro': {
    ja: '「申請情報入力」で入力した情報を選択し、資料及び顔写真を添付して「申請」ボタンを押下すると、申請が行われます(「申請」ボタンを押下しないと申請は行われません。)。',
    en: 'Select the information entered in Enter application information, attach materials and a facial photo, and press the Application button to file the application. (You must press the Application button to file the application.)',
  },
  'menu.disabled': {
    ja: 'この機能は、在留資格認定証明書の電子交付を希望する窓口申請者の方は御利用いただけません。',
    en: 'This function is not available to applicants (at a counter) for electronic issuance of a certificate of eligibility.',
  },
  'menu.userInfo': { ja: '利用者情報更新', en: 'User information update' },
  'menu.userInfoIntro': {
    ja: 'メールアドレスの変更やパスワードの変更を行う場合は、下のボタンを押下してください。',
    en: 'If you wish to change your email address or change your password, please click on the button below',
  },

  'errorPage.title': { ja: 'エラー', en: 'Error' },

  // process steps (manual 1.4 item 1): the labels of each flow's steps, separated by "|"
  'steps.registration': {
    ja: '利用者情報入力|入力内容確認|登録受付完了',
    en: 'Enter user information|Confirm the entered information|Registration received',
  },
  'steps.reset': { ja: '利用者情報確認|確認完了', en: 'User information confirmation|Confirmation complete' },
  'steps.passwordRegistration': { ja: 'パスワード登録|登録完了', en: 'Password registration|Complete' },
  'steps.changeUserInfo': {
    ja: '利用者情報入力|更新完了',
    en: 'Enter user information|Completion of update',
  },
  'steps.changePassword': { ja: 'パスワード入力|更新完了', en: 'Enter password|Completion of update' },

  // user information items (manual 2.4.2), as labels of forms and summaries
  'user.name': { ja: '氏名', en: 'Name' },
  'user.sex': { ja: '性別', en: 'Sex' },
  'user.sex.male': { ja: '男', en: 'Male' },
  'user.sex.female': { ja: '女', en: 'Female' },
  'user.birthDate': { ja: '生年月日', en: 'Date of birth' },
  'user.address': {
    ja: '本邦における住居地(都道府県・市区町村)',
    en: 'Address in Japan (the prefecture, the municipality)',
  },
  'user.street': {
    ja: '本邦における住居地(町名・番地・号・建物名等)',
    en: 'Address in Japan (the town name, the street or house numbers)',
  },
  'user.phone': { ja: '連絡先', en: 'Contact information' },
  'user.authId': { ja: '認証ID', en: 'Authentication ID' },
  'user.userId': { ja: '認証ID', en: 'User ID' },
  'user.email': { ja: 'メールアドレス', en: 'Email address' },
  'user.emailConfirm': { ja: 'メールアドレス(確認)', en: 'Email address (confirmation)' },
  'user.noAddress': { ja: '(未選択)', en: '(not selected)' },

  // field hints: the manual's rule texts
  'hint.name': {
    ja: '在留カードに記載されている氏名を半角英字(ローマ字)60文字以内で入力してください。(英小文字と全角英字は、半角の大文字に変換して登録します。) 例)TEST MADOGUCHI',
    en: 'Enter your name in 1-byte Roman letters as shown on your residence card, up to 60 letters. (Lowercase and 2-byte letters are converted to 1-byte capitals.) 例)TEST MADOGUCHI',
  },
  'hint.birthDate': {
    ja: '1900年1月1日以降の日付を、半角数字で「年-月-日」の順に10文字で入力してください。(全角数字は半角に、「/」や「.」の区切りは「-」に変換します。) 例)2000-01-01',
    en: 'Enter a date from January 1, 1900 in 1-byte numbers as year-month-day, 10 characters. (2-byte numbers are converted to 1-byte, and "/" or "." between the parts to "-".) 例)2000-01-01',
  },
  'hint.search': {
    ja: '検索ボタンを押下して検索してください。',
    en: 'Press the Search button to select the prefecture and municipality.',
  },
  'hint.street': {
    ja: '全角80文字以内 例)１－１－１霞ケ関ハイツ２０２号 (半角の英数字・記号・カタカナ・スペースは全角に変換して登録します。)',
    en: '2-byte characters, up to 80 characters 例)１－１－１霞ケ関ハイツ２０２号 (1-byte letters, numbers, signs, katakana and spaces are converted to 2-byte characters.)',
  },
  'hint.phone': {
    ja: '半角数字10桁以上12桁以内(ハイフンは不要です。ハイフン・スペース・括弧は除き、全角数字は半角に変換して登録します。) 例)0312345678',
    en: '1-byte digits, 10 to 12 digits (no hyphens needed: hyphens, spaces and brackets are removed, and 2-byte digits are converted to 1-byte) 例)0312345678',
  },
  'hint.email': {
    ja: '半角英数字・記号60文字以内(全角英数字は半角に、「@」より後ろの英大文字は小文字に変換して登録します。) 例)abc@xyz.co.jp',
    en: '1-byte alphanumeric letters and/or signs within 60 characters (2-byte characters are converted to 1-byte, and capitals after the "@" to lowercase) 例)abc@xyz.co.jp',
  },
  'hint.emailConfirm': {
    ja: '確認のため、もう一度入力してください。半角英数字・記号60文字以内',
    en: 'Enter it again to confirm. 1-byte alphanumeric letters and/or signs within 60 characters',
  },
  'hint.password': {
    ja: '半角英字、半角数字、半角記号をそれぞれ1文字以上使用してください。8文字以上32文字以内で入力してください。大文字と小文字は区別されます。使用できる記号は「$%&=@_#*+-?!」です。',
    en: 'Be sure to use at least one from each of the 1-byte alphabet letters, 1-byte numbers, and 1-byte signs. The total text length must be 8 letters or longer and up to 32 letters. Upper case and lower case will be distinguished. The symbols which may be used are $%&=@_#*+-?!',
  },
  'hint.newPassword': {
    ja: '半角英字、半角数字、半角記号をそれぞれ1文字以上使用してください。8文字以上32文字以内で入力してください。大文字と小文字は区別されます。使用できる記号は「$%&=@_#*+-?!」です。認証IDを含むパスワードは使用できません。例)CD67890!',
    en: 'Be sure to use at least one from each of the 1-byte alphabet letters, 1-byte numbers, and 1-byte signs. The total text length must be 8 letters or longer and up to 32 letters. Upper case and lower case will be distinguished. The symbols which may be used are $%&=@_#*+-?! The password must not contain your user ID. 例)CD67890!',
  },

  // help desk: completion pages and every email
  'helpdesk.title': { ja: '【お問い合わせ先】', en: '[For inquiries]' },
  'helpdesk.name': {
    ja: '在留申請オンラインシステム ヘルプデスク',
    en: 'Online Residence Application System Help Desk',
  },
  'helpdesk.telLabel': { ja: 'TEL：', en: 'TEL: ' },
  'helpdesk.emailLabel': { ja: 'E-MAIL：', en: 'E-MAIL: ' },
  'helpdesk.hoursLabel': { ja: '受付時間：', en: 'Inquiry hours: ' },
  'helpdesk.hours': {
    ja: '月曜日～金曜日 9:00～17:00（国民の祝日に関する法律に規定する休日及び12月29日から翌年1月3日までを除く）',
    en: 'Monday to Friday from 9:00 to 17:00 (excluding holidays specified in the Public Holidays Act and from December 29 to January 3 of the following year)',
  },
  'helpdesk.noMail': {
    ja: 'しばらくたってもメールが届かない場合は、下記までお問い合わせください。',
    en: 'If you do not receive an email after a while, please contact us as given below',
  },
  'helpdesk.noMailUpdate': {
    ja: 'しばらくたってもメールが届かない場合は、利用者情報が更新されていない可能性がありますので、下記までお問い合わせください。受付時間外の場合は、受付時間内に改めてお問い合わせください。',
    en: 'If you do not receive an email after a while, there is the possibility that your user information was not revised and therefore, please contact us as given below. If your inquiry is outside of the hours given below, please contact us during the inquiry hours.',
  },
  'session.othersEnded': {
    ja: '他のブラウザや端末でログインしていた場合、そちらは自動的にログアウトしました。',
    en: 'If you were logged in on another browser or device, you have been logged out there.',
  },

  // 2.1.2 User registration
  'registrationInput.title': { ja: '利用者情報入力', en: 'Enter user information' },
  'registrationInput.intro': {
    ja: '利用者情報を入力し、「確認」ボタンを押下してください。「必須」と表示されている項目は必ず入力してください。',
    en: 'Enter your user information and click the Confirm button. Items marked "Required" must be filled in.',
  },
  'registrationConfirm.title': { ja: '入力内容確認', en: 'Confirm the entered information' },
  'registrationConfirm.intro': {
    ja: '入力内容を確認し、よろしければ「登録」ボタンを押下してください。修正する場合は「戻る」ボタンを押下してください。',
    en: 'Check the entered information and, if it is correct, click the Register button. To correct it, click the Back button.',
  },
  'registrationComplete.title': { ja: '利用者登録受付完了', en: 'User registration received' },
  'registrationComplete.lead': {
    ja: '利用者登録を受け付けました。',
    en: 'Your user registration has been received.',
  },
  'registrationComplete.sent': {
    ja: '利用者登録に関するメールを、{email} 宛てに送信します。',
    en: 'An email about your user registration will be sent to your email address {email}',
  },
  'registrationComplete.next': {
    ja: 'メールに記載されたURLにアクセスし、パスワードを登録してください。パスワードを登録すると、ログインできるようになります。',
    en: 'Please access the link in the email and register your password. You can log in once your password is registered.',
  },
  'registrationComplete.expiry': {
    ja: 'URLの有効期間は{hours}時間です。有効期限を過ぎた場合は、お手数ですが、もう一度利用者登録を行ってください。',
    en: 'The link is valid for {hours} hours. If it has expired, please register again.',
  },

  // 1.4 item 5: the address Search picker
  'addressSearch.title': { ja: '住居地検索', en: 'Address search' },
  'addressSearch.choosePrefecture': {
    ja: '都道府県を選択してください。',
    en: 'Select the prefecture.',
  },
  'addressSearch.chooseMunicipality': {
    ja: '{prefecture}の市区町村を選択してください。',
    en: 'Select the municipality in {prefecture}.',
  },
  'addressSearch.prefectures': { ja: '都道府県', en: 'Prefecture' },
  'addressSearch.municipality': { ja: '市区町村', en: 'Municipality' },
  'addressSearch.municipalities': { ja: '{prefecture}の市区町村', en: 'Municipalities in {prefecture}' },
  'addressSearch.otherPrefecture': { ja: '別の都道府県を選択する', en: 'Select another prefecture' },
  'addressSearch.select': { ja: '選択', en: 'Select' },
  'region.hokkaidoTohoku': { ja: '北海道・東北', en: 'Hokkaido and Tohoku' },
  'region.kanto': { ja: '関東', en: 'Kanto' },
  'region.chubu': { ja: '中部', en: 'Chubu' },
  'region.kinki': { ja: '近畿', en: 'Kinki' },
  'region.chugoku': { ja: '中国', en: 'Chugoku' },
  'region.shikoku': { ja: '四国', en: 'Shikoku' },
  'region.kyushuOkinawa': { ja: '九州・沖縄', en: 'Kyushu and Okinawa' },

  // 2.5 Password reset: User Information Confirmation (2.5.2) and its completion (2.5.3)
  'forgotPassword.title': { ja: '利用者情報確認', en: 'User information confirmation' },
  'forgotPassword.flow': { ja: 'パスワード再設定', en: 'Password resetting' },
  'forgotPassword.intro': {
    ja: '認証IDと登録しているメールアドレスを入力し、「送信」ボタンを押下してください。パスワード再設定のURLを記載したメールを送信します。',
    en: 'Enter your user ID and your registered email address, and click the Send button. An email with a link to reset your password will be sent.',
  },
  'resetRequested.title': { ja: '利用者情報確認完了', en: 'User information confirmation complete' },
  'resetRequested.lead': {
    ja: '利用者情報の確認が完了しました。',
    en: 'The confirmation of your user information has been completed',
  },
  'resetRequested.sent': {
    ja: 'パスワード再設定のお知らせを {email} 宛てに送信します。',
    en: 'A notification of password resetting will be sent to your email address {email}',
  },
  'resetRequested.next': {
    ja: '受信したメールに記載されたURLにアクセスし、パスワードを再設定してください。',
    en: 'Please access the email link you received and reset your password',
  },
  'resetRequested.expiry': {
    ja: 'URLの有効期間は{minutes}分間です。',
    en: 'The link is valid for {minutes} minutes.',
  },
  'resetRequested.noMatch': {
    ja: '※入力された認証IDとメールアドレスが登録内容と一致しない場合は、メールは送信されません。',
    en: 'If the user ID and email address you entered do not match the registered information, no email is sent.',
  },

  // 2.5.1 The emailed link: Password Registration
  'linkInvalid.title': { ja: '無効なURL', en: 'Invalid link' },
  'linkInvalid.body': {
    ja: 'パスワード登録画面を表示できませんでした。URLは一度しか使用できず、有効期限を過ぎると使用できなくなります。',
    en: 'The Password Registration page cannot be opened. A link can be used only once and only within its period of validity.',
  },
  'linkInvalid.again': {
    ja: 'パスワードを再設定する場合は、ログイン画面の「パスワードを忘れた場合」から、もう一度手続を行ってください。利用者登録を完了していない場合は、トップページからもう一度利用者登録を行ってください。',
    en: 'To reset your password, use "Forgot your password?" on the Login page again. If you have not completed your user registration, register again from the homepage.',
  },
  'link.sessionEnded': {
    ja: 'このURLを開いたため、このブラウザで行っていた在留申請オンラインシステムの操作(ログイン中のものを含みます。)は終了しました。',
    en: 'If you were using the Online Residence Application System in this browser (including being logged in), that session was ended when you opened this link.',
  },
  'passwordRegistration.title': { ja: 'パスワード登録', en: 'Password registration' },
  'passwordRegistration.introRegister': {
    ja: '利用者登録を完了するため、パスワードを登録してください。',
    en: 'To complete your user registration, register your password.',
  },
  'passwordRegistration.introReset': {
    ja: '新しいパスワードを登録してください。',
    en: 'Register a new password.',
  },
  'passwordRegistration.password': { ja: 'パスワード', en: 'Password' },
  'passwordRegistration.passwordConfirm': { ja: 'パスワード(確認)', en: 'Password (confirmation)' },
  'passwordRegistered.title': { ja: 'パスワード登録完了', en: 'Password registration complete' },
  'passwordRegistered.lead': {
    ja: 'パスワードの登録が完了しました。',
    en: 'The registration of your password has been completed',
  },
  'passwordRegistered.sent': {
    ja: 'パスワード登録完了のお知らせを {email} 宛てに送信します。',
    en: 'A notification of completion of the registration will be sent to your email address {email}',
  },
  'passwordRegistered.next': {
    ja: 'ログイン画面から、認証IDと登録したパスワードでログインしてください。',
    en: 'Log in on the Login page with your user ID and the password you registered.',
  },

  // Beyond the manual: the link in the notice to the former address undoes an email change
  'emailRestored.title': { ja: 'メールアドレス変更取消し完了', en: 'Email address change undone' },
  'emailRestored.lead': {
    ja: 'メールアドレスを変更前のメールアドレスに戻しました。',
    en: 'Your email address has been changed back to the one registered before the change',
  },
  'emailRestored.sent': {
    ja: 'メールアドレス変更取消しのお知らせを {email} 宛てに送信します。',
    en: 'A notification of the cancellation will be sent to your email address {email}',
  },
  'emailRestored.loggedOut': {
    ja: 'この認証IDでのログインは、すべてのブラウザや端末でログアウトされました。',
    en: 'Your user ID has been logged out on every browser and device.',
  },
  'emailRestored.next': {
    ja: 'メールアドレスの変更に心当たりがない場合は、ログイン画面の「パスワードを忘れた場合」からパスワードを再設定してください。',
    en: 'If you did not change your email address yourself, reset your password with "Forgot your password?" on the Login page.',
  },
  'restoreFailed.title': { ja: 'メールアドレス変更取消しエラー', en: 'Email address change not undone' },
  'restoreFailed.body': {
    ja: 'URLは一度しか使用できず、有効期限を過ぎると使用できなくなります。メールアドレスの変更に心当たりがない場合は、下記のヘルプデスクまでお問い合わせください。',
    en: 'A link can be used only once and only within its period of validity. If you did not change your email address yourself, please contact the Help Desk below.',
  },

  // 2.4 User information management
  'userInfo.title': { ja: '利用者情報表示', en: 'User information display' },
  'changeUserInfo.title': { ja: '利用者情報変更', en: 'Change user information' },
  'changeUserInfo.current': { ja: '現在の登録内容', en: 'Currently registered information' },
  'changeUserInfo.enter': { ja: '利用者情報入力', en: 'Enter user information' },
  'changeUserInfo.intro': {
    ja: '変更する項目のみ入力し、「変更」ボタンを押下してください。住居地を変更する場合は、都道府県・市区町村(「検索」ボタンで選択)と町名・番地・号・建物名等の両方を入力してください。',
    en: 'Enter only the items you want to change, and click the Change button. To change your address, enter both the prefecture and municipality (selected with the Search button) and the street and house number.',
  },
  'changeUserInfo.newAddress': {
    ja: '本邦における新しい住居地(都道府県・市区町村)',
    en: 'New address in Japan (the prefecture, municipality)',
  },
  'changeUserInfo.newStreet': {
    ja: '本邦における新しい住居地(町名・番地・号・建物名等)',
    en: 'New address in Japan (the town name, the street or house numbers)',
  },
  'changeUserInfo.newPhone': { ja: '新しい連絡先', en: 'New contact' },
  'changeUserInfo.newEmail': { ja: '新しいメールアドレス', en: 'New Email address' },
  'changeUserInfo.newEmailConfirm': {
    ja: '新しいメールアドレス(確認)',
    en: 'New Email address (confirmation)',
  },
  // 2.4.4, and 2.4.5 for the password: one completion page, "Completion of update"
  'userInfoUpdated.title': updateCompleteTitle,
  'userInfoUpdated.lead': updateCompleteLead,
  /** Only an email change is notified (2.4.1): the new address gets this notice. */
  'userInfoUpdated.sent': {
    ja: 'メールアドレス変更完了のお知らせを {email} 宛てに送信します。',
    en: 'A notification of completion of the update will be sent to your email address {email}',
  },
  'changePassword.title': { ja: 'パスワード変更', en: 'Password change' },
  'changePassword.intro': {
    ja: '現在のパスワードと新しいパスワードを入力し、「変更」ボタンを押下してください。',
    en: 'Enter your current password and a new password, and click the Change button.',
  },
  'changePassword.current': { ja: '現在のパスワード', en: 'Current password' },
  'changePassword.new': { ja: '新しいパスワード', en: 'New password' },
  'changePassword.confirm': { ja: '新しいパスワード(確認)', en: 'New password (confirmation)' },
  'passwordChanged.title': updateCompleteTitle,
  'passwordChanged.lead': updateCompleteLead,
  'passwordChanged.sent': {
    ja: 'パスワード変更完了のお知らせを {email} 宛てに送信します。',
    en: 'A notification of completion of the update will be sent to your email address {email}',
  },

  // session-timeout warning (shown two minutes before the idle logout)
  'timeout.title': { ja: 'まもなくタイムアウトします', en: 'Your session is about to time out' },
  'timeout.body': {
    ja: '一定時間操作がないため、約2分後に自動的にログアウトします。続けて利用する場合は「ログインを継続する」ボタンを押下してください。',
    en: 'You have been inactive, so you will be logged out in about 2 minutes. To continue, press "Stay logged in".',
  },
  'timeout.stay': { ja: 'ログインを継続する', en: 'Stay logged in' },

  // 3.1 List of error messages
  'errorList.title': { ja: 'エラーメッセージ一覧', en: 'List of error messages' },
  'errorList.intro': {
    ja: '在留申請オンラインシステムで表示されるエラーメッセージの一覧です。',
    en: 'The error messages that may appear while using the Online Residence Application System.',
  },
  'errorList.code': { ja: 'コード', en: 'Code' },
  'errorList.message': { ja: 'メッセージ', en: 'Message' },

  // terminal pages
  'loggedOut.title': { ja: 'ログアウト完了', en: 'Logged out' },
  'loggedOut.body': {
    ja: '在留申請オンラインシステムからログアウトしました。',
    en: 'You have logged out of the Online Residence Application System.',
  },
  'invalidOperation.title': { ja: '無効な操作', en: 'Invalid operation' },
  'invalidOperation.body': {
    ja: '無効な操作が行われたため、ログアウトしました。ブラウザの「戻る」ボタンやBackSpaceキーは使用せず、画面上のボタンで操作してください。',
    en: "An invalid operation was performed, so you have been logged out. Do not use your browser's Back button or the backspace key; use the buttons on the page.",
  },
  // out of sequence before anyone logged in: nothing to log out of, the typed data discarded
  'invalidOperation.visitor.body': {
    ja: '無効な操作が行われたため、入力中の内容を破棄しました。ブラウザの「戻る」ボタンやBackSpaceキーは使用せず、画面上のボタンで操作してください。トップページからやり直してください。',
    en: "An invalid operation was performed, so the information you were entering has been discarded. Do not use your browser's Back button or the backspace key; use the buttons on the page. Please start again from the homepage.",
  },
  'accountLocked.title': { ja: 'ログイン停止', en: 'Login suspended' },
  'timedOut.title': { ja: 'セッションタイムアウト', en: 'Session timed out' },
  'timedOut.body': {
    ja: '一定時間操作がなかったため、セッションがタイムアウトしました。もう一度ログインしてください。',
    en: 'Your session timed out because you were inactive for a set period of time. Please log in again.',
  },

  // beyond the manual: the postal-code box beside Search on the address forms
  'postal.label': { ja: '郵便番号(任意)', en: 'Postal code (optional)' },
  'postal.hint': {
    ja: '7桁の数字(例：100-0001)。全角数字とハイフンも使えます。都道府県・市区町村を入力し、町域名を番地の前に入れます。',
    en: '7 digits, e.g. 100-0001 (full-width digits and a hyphen are accepted). Fills in the prefecture and municipality, and puts the town name at the start of the street address.',
  },
  'button.postalLookup': { ja: '郵便番号から住所を入力', en: 'Fill in the address' },
} satisfies Record<string, Text>;

export type MessageKey = keyof typeof messages;

/** The text of `key` in `lang`, with `{name}` placeholders filled; an unknown key shows itself. */
export function translate(key: string, lang: Lang, params?: Record<string, string>): string {
  const text = (messages as Record<string, Text>)[key]?.[lang] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (whole, name) => params[name] ?? whole) : text;
}

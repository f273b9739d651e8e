/**
 * The agency's pages that the portal's pages link to (manual 2.1.3 and 2.2.2), by name: templates
 * name a link, never write its address. Plain links: the pages render without the network.
 */
export const agencyLinks = {
  /** The terms of use (the notice on the homepage). */
  terms: 'https://www.moj.go.jp/isa/applications/online/online-riyoukiyaku.html',
  /** Online application procedures: the Login page's link (2.2.2 item 6) and the homepage's "details". */
  onlineProcedures: 'https://www.moj.go.jp/isa/applications/guide/onlineshinsei.html',
  /** Who may use the system and register online (the questions and answers of the agency). */
  whoCanRegister: 'https://www.moj.go.jp/isa/applications/online/online-QA.html',
  /** The electronic certificate of eligibility: what an applicant at a counter prepares and registers. */
  registrationPreparation: 'https://www.moj.go.jp/isa/applications/procedures/10_00136.html',
  /** The user client software of the Public Certification Service for Individuals (J-LIS). */
  jpkiDownload: 'https://www.jpki.go.jp/download/',
} as const;

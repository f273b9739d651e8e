/**
 * What the browser tests run on: Debian's Chromium (Playwright cannot download its own builds
 * here) with Japanese glyphs from the IPA Gothic font, and the ports of the server they start.
 */
export const chromiumPath = '/usr/bin/chromium';
export const ipaGothicFont = '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf';
export const browserPackages = ['chromium', 'fonts-ipafont-gothic'];

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The app under test (test/support/e2e-server.ts). */
export const e2ePort = Number(process.env.E2E_PORT || 3100);
/** The e2e server's mailbox: GET /messages lists what its SMTP server received. */
export const e2eMailPort = Number(process.env.E2E_MAIL_PORT || 3101);

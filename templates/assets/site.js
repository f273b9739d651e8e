// The only script of the pages; they all work without it.
(() => {
  // A page restored from the back/forward cache must reach the server, which decides whether
  // the move is in sequence (manual 1.4 item 7).
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });

  // Two minutes before the idle logout, offer to stay logged in (WCAG 2.2.1). Staying sends one
  // request that refreshes the idle timer without moving the session. Without this script the
  // timeout simply happens, and the next request shows the timed-out page.
  const warnBeforeMs = 120_000;
  function watchIdleTimeout() {
    const idleSeconds = Number(document.body.dataset.idleSeconds);
    const dialog = document.getElementById('timeout-dialog');
    if (!idleSeconds || !(dialog instanceof HTMLDialogElement)) return;
    let warnTimer;
    let expireTimer;
    const arm = () => {
      clearTimeout(warnTimer);
      clearTimeout(expireTimer);
      const idleMs = idleSeconds * 1000;
      warnTimer = setTimeout(() => dialog.showModal(), Math.max(0, idleMs - warnBeforeMs));
      // past the timeout the server has ended the session: reloading shows the timed-out page
      expireTimer = setTimeout(() => window.location.reload(), idleMs + 1000);
    };
    dialog.querySelector('[data-keep-alive]')?.addEventListener('click', async () => {
      const body = new URLSearchParams({ _step: document.body.dataset.step || '' });
      const response = await fetch('/session/keep-alive', {
        method: 'POST',
        body,
        credentials: 'same-origin',
      });
      dialog.close();
      if (response.status === 204) arm();
      else window.location.reload();
    });
    arm();
  }

  document.addEventListener('DOMContentLoaded', () => {
    // On an error, move focus to the summary so screen readers announce it first.
    const summary = document.querySelector('[data-error-summary]');
    if (summary instanceof HTMLElement) summary.focus();
    watchIdleTimeout();
  });
})();

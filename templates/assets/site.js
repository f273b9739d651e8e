// The only script of the pages; they all work without it.
(() => {
  // A page restored from the back/forward cache must reach the server, which decides whether
  // the move is in sequence (manual 1.4 item 7).
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  // On an error, move focus to the summary so screen readers announce it first.
  document.addEventListener('DOMContentLoaded', () => {
    const summary = document.querySelector('[data-error-summary]');
    if (summary instanceof HTMLElement) summary.focus();
  });
})();

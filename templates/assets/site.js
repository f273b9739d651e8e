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

  // Beyond the manual: the postal-code box of the address forms fills the address in without a
  // reload. Without this script, or when the request fails, its button posts the form as typed
  // (LOOKUP_POSTAL_CODE) and the server fills it in the same way.
  function markPostalError(input, error) {
    const field = input.closest('.field');
    const label = field?.querySelector('.field__label');
    if (!field || !label) return;
    // the box has a new answer: what the page said of the code before is gone
    for (const old of field.querySelectorAll('.field__error')) old.remove();
    for (const line of document.querySelectorAll(`[data-error-summary] a[href="#${input.id}"]`)) {
      line.closest('li')?.remove();
    }
    const summary = document.querySelector('[data-error-summary]');
    if (summary && !summary.querySelector('li')) summary.remove();
    label.querySelector('.field__mark')?.remove();
    const hint = `${input.id}-hint`;
    field.classList.toggle('field--error', Boolean(error));
    if (!error) {
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', hint);
      return;
    }
    // the same marks as the page's own: "!" before the label, the coded message under the box
    const mark = document.createElement('span');
    mark.className = 'field__mark';
    mark.setAttribute('aria-hidden', 'true');
    mark.textContent = '!';
    label.prepend(mark);
    const text = document.createElement('p');
    text.className = 'field__error';
    text.id = `${input.id}-error-${error.code}`;
    text.textContent = error.message;
    input.closest('.field__row')?.after(text);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', `${hint} ${text.id}`);
  }

  function fillAddress(form, found) {
    const code = form.elements.namedItem('municipalityCode');
    if (code instanceof HTMLInputElement) code.value = found.municipalityCode;
    const chosen = document.getElementById('field-municipalityCode-chosen');
    if (chosen) chosen.textContent = found.address;
    // the town goes before what was typed, as streetWithTown does on the server
    const street = form.elements.namedItem('street');
    if (street instanceof HTMLInputElement && !street.value.startsWith(found.town)) {
      street.value = `${found.town}${street.value}`;
    }
  }

  function enhancePostalLookup() {
    const input = document.getElementById('field-postalCode');
    const button = document.querySelector('button[name="_action"][value="LOOKUP_POSTAL_CODE"]');
    const form = button?.form;
    if (!(input instanceof HTMLInputElement) || !form) return;
    const lookup = async (event) => {
      event.preventDefault();
      const query = new URLSearchParams({ code: input.value });
      const answer = await fetch(`/address/postal?${query}`, { credentials: 'same-origin' })
        .then((response) => response.json())
        .catch(() => null);
      if (!answer) {
        form.requestSubmit(button);
        return;
      }
      markPostalError(input, answer.error);
      if (answer.error) input.focus();
      else fillAddress(form, answer);
    };
    button.addEventListener('click', lookup);
    button.dataset.scriptAnswers = '';
    // Enter in the box looks the code up, rather than submitting the whole form
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') lookup(event);
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    // On an error, move focus to the summary so screen readers announce it first.
    const summary = document.querySelector('[data-error-summary]');
    if (summary instanceof HTMLElement) summary.focus();
    watchIdleTimeout();
    enhancePostalLookup();
  });
})();

// The answer card's "Did this answer your question?": Yes is sent to the API and the page stays
// put; "No, talk to a person" submits the form as it would without JavaScript (the server records
// it and opens the contact form with the question and the answer).
(function () {
  'use strict';
  const form = document.querySelector('[data-answer-feedback]');
  if (!form || !window.fetch) return;
  form.addEventListener('submit', async (event) => {
    const button = event.submitter;
    if (!button || button.value !== 'yes') return;
    event.preventDefault();
    button.disabled = true;
    try {
      const response = await fetch(form.dataset.api, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ query_id: Number(form.elements.query_id.value), helpful: true }),
      });
      if (!response.ok) throw new Error(String(response.status));
      form.querySelector('fieldset').hidden = true;
      form.querySelector('[data-answer-thanks]').hidden = false;
    } catch (error) {
      // The plain form still records it (submit() sends no button value: add it).
      const verdict = document.createElement('input');
      verdict.type = 'hidden';
      verdict.name = 'helpful';
      verdict.value = 'yes';
      form.append(verdict);
      form.submit();
    }
  });
})();

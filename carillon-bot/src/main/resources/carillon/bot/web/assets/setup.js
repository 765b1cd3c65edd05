// The setup token is in the fragment (#token=...), which browsers never send to servers or in Referer.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('setup');
  const message = document.getElementById('message');
  const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
  if (!token) {
    message.textContent = 'This link has no setup token; use the link from Carillon\'s log.';
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {setupToken: token, name: form.name.value, password: form.password.value};
    const response = await fetch('/api/setup', {
      method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
    if (response.ok) {
      history.replaceState(null, '', '/setup');
      message.textContent = 'The account is created and you are logged in.';
      form.hidden = true;
    } else {
      const problem = await response.json();
      message.textContent = problem.errors
        ? problem.errors.map(e => e.field + ': ' + e.message).join('; ')
        : problem.detail;
    }
  });
});

// Shows the next occurrences of the schedule being typed, from the API's preview; text only, no markup.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const input = document.querySelector('input[name=schedule]');
  const preview = document.getElementById('preview');
  if (!input || !preview) {
    return;
  }
  let timer = null;
  const show = async () => {
    const text = input.value.trim();
    preview.replaceChildren();
    if (!text) {
      return;
    }
    const url = '/api/guilds/' + encodeURIComponent(input.dataset.guild) + '/schedule-preview?schedule='
      + encodeURIComponent(text);
    const response = await fetch(url, {headers: {'Accept': 'application/json'}});
    const body = await response.json();
    if (!response.ok) {
      const p = document.createElement('p');
      p.className = 'field-error';
      p.textContent = body.errors ? body.errors.map(e => e.message).join('; ') : body.detail;
      preview.append(p);
      return;
    }
    const caption = document.createElement('p');
    caption.textContent = body.occurrences.length ? 'Next, in ' + body.zone + ':' : 'No further occurrence.';
    const list = document.createElement('ul');
    for (const occurrence of body.occurrences) {
      const item = document.createElement('li');
      item.textContent = occurrence.local.replace('T', ' ')
        + (occurrence.skippedBecause ? ' (skipped: ' + occurrence.skippedBecause + ')' : '');
      if (occurrence.skippedBecause) {
        item.className = 'skipped';
      }
      list.append(item);
    }
    preview.append(caption, list);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(show, 300);
  });
  show();
});

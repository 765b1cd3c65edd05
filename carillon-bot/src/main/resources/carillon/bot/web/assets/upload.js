// Uploads with a progress bar: the form is sent as it would be, and the page the server answers with
// (the library, or the reasons nothing was stored) replaces this one. Files dropped on the drop zone go into
// the form's file field (which stays the way in for the keyboard), and the live region names them.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const form = document.querySelector('form.upload');
  if (!form) {
    return;
  }
  const zone = document.getElementById('drop-zone');
  const input = form.querySelector('input[type=file]');
  const dropStatus = document.getElementById('drop-status');
  const text = (key, ...values) => values.reduce((s, value, i) => s.replace('{' + i + '}', value),
    (zone && zone.dataset[key]) || '');
  if (zone && input && dropStatus) {
    zone.addEventListener('dragover', (event) => {
      if (event.dataTransfer && [...event.dataTransfer.types].includes('Files')) {
        event.preventDefault(); // accept the drop
        event.dataTransfer.dropEffect = 'copy';
        zone.classList.add('over');
      }
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (event) => {
      zone.classList.remove('over');
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) {
        return;
      }
      event.preventDefault(); // not opened by the browser
      input.files = event.dataTransfer.files;
      const names = [...input.files].map(file => file.name);
      dropStatus.textContent = text('dropped', names.length, names.join(', '));
      input.dispatchEvent(new Event('change', {bubbles: true}));
    });
  }
  const progress = document.createElement('progress');
  progress.max = 100;
  progress.value = 0;
  progress.hidden = true;
  const status = document.createElement('span');
  status.setAttribute('aria-live', 'polite');
  form.append(progress, status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open('POST', form.action);
    request.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) {
        progress.value = Math.round(e.loaded / e.total * 100);
        status.textContent = progress.value === 100 ? ' ' + text('checking') : ' ' + progress.value + '%';
      }
    });
    request.addEventListener('load', () => {
      if (request.status < 400) {
        window.location.assign(request.responseURL);
      } else {
        document.open();
        document.write(request.responseText);
        document.close();
      }
    });
    request.addEventListener('error', () => { status.textContent = ' ' + text('failed'); });
    progress.hidden = false;
    status.textContent = ' 0%';
    request.send(new FormData(form));
  });
});

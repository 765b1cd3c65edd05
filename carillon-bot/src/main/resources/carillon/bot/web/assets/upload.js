// Uploads with a progress bar: the form is sent as it would be, and the page the server answers with
// (the library, or the reasons nothing was stored) replaces this one.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const form = document.querySelector('form.upload');
  if (!form) {
    return;
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
        status.textContent = progress.value === 100 ? ' checking the audio…' : ' ' + progress.value + '%';
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
    request.addEventListener('error', () => { status.textContent = ' the upload failed: the server did not answer'; });
    progress.hidden = false;
    status.textContent = ' 0%';
    request.send(new FormData(form));
  });
});

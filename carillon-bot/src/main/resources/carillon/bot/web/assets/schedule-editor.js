// The schedule editor: frequency, weekdays, nth weekday, time, zone, end and exceptions written out as the
// schedule's text form ("rrule RULE from DATE-TIME ZONE [except DATES]", docs/sessions.md). The text field stays
// the one the form sends; power users type in it directly (the editor does not read it back). Each change writes
// the text and fires its input event, so the preview (session-form.js) shows the next occurrences.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const editor = document.getElementById('schedule-editor');
  const text = document.querySelector('input[name=schedule]');
  if (!editor || !text) {
    return;
  }
  const $ = id => document.getElementById(id);
  const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
  const zones = $('ed-zones');
  for (const zone of (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : ['UTC'])) {
    const option = document.createElement('option');
    option.value = zone;
    zones.append(option);
  }
  const today = new Date();
  const iso = date => date.getFullYear() + '-' + String(date.getMonth() + 1).padStart(2, '0') + '-'
    + String(date.getDate()).padStart(2, '0');
  $('ed-from').value = iso(today);
  const exceptions = [];

  /** JavaScript's day (0 Sunday) as RFC 5545's two letters. */
  const code = date => days[(date.getDay() + 6) % 7];
  const selectedDays = () => [...editor.querySelectorAll('#ed-weekdays button[aria-pressed=true]')].map(b => b.dataset.day);

  /** Whether a date is the nth (1..5, or -1: last) given weekday of its month. */
  const isNth = (date, nth, day) => {
    if (code(date) !== day) {
      return false;
    }
    if (nth > 0) {
      return Math.floor((date.getDate() - 1) / 7) + 1 === nth;
    }
    const next = new Date(date);
    next.setDate(date.getDate() + 7);
    return next.getMonth() !== date.getMonth();
  };

  /** The first date on or after the start that the rule matches: the rule's own first occurrence. */
  const firstDate = (frequency, start) => {
    const date = new Date(start + 'T12:00');
    for (let i = 0; i < 400; i++) {
      if (frequency === 'DAILY'
        || (frequency === 'WEEKLY' && (selectedDays().length === 0 || selectedDays().includes(code(date))))
        || (frequency === 'MONTHLY' && isNth(date, Number($('ed-nth').value), $('ed-nth-day').value))) {
        return iso(date);
      }
      date.setDate(date.getDate() + 1);
    }
    return start;
  };

  const write = () => {
    const frequency = $('ed-frequency').value;
    $('ed-weekdays').hidden = frequency !== 'WEEKLY';
    $('ed-monthly').hidden = frequency !== 'MONTHLY';
    $('ed-until-label').hidden = $('ed-end').value !== 'until';
    $('ed-count-label').hidden = $('ed-end').value !== 'count';
    const parts = ['FREQ=' + frequency];
    const interval = Number($('ed-interval').value);
    if (interval > 1) {
      parts.push('INTERVAL=' + interval);
    }
    if (frequency === 'WEEKLY' && selectedDays().length) {
      parts.push('BYDAY=' + selectedDays().join(','));
    }
    if (frequency === 'MONTHLY') {
      parts.push('BYDAY=' + $('ed-nth').value + $('ed-nth-day').value);
    }
    if ($('ed-end').value === 'count' && $('ed-count').value) {
      parts.push('COUNT=' + $('ed-count').value);
    }
    if ($('ed-end').value === 'until' && $('ed-until').value) {
      parts.push('UNTIL=' + $('ed-until').value.replaceAll('-', '') + 'T235959Z');
    }
    const from = firstDate(frequency, $('ed-from').value || iso(today));
    let schedule = 'rrule ' + parts.join(';') + ' from ' + from + 'T' + ($('ed-time').value || '00:00') + ' '
      + ($('ed-zone').value.trim() || editor.dataset.zone);
    if (exceptions.length) {
      schedule += ' except ' + exceptions.join(',');
    }
    text.value = schedule;
    text.dispatchEvent(new Event('input', {bubbles: true}));
  };

  const showExceptions = () => {
    const list = $('ed-exceptions');
    list.replaceChildren();
    exceptions.forEach((date, index) => {
      const item = document.createElement('li');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '×';
      remove.setAttribute('aria-label', date + ' ✕');
      remove.addEventListener('click', () => {
        exceptions.splice(index, 1);
        showExceptions();
        write();
      });
      item.append(date + ' ', remove);
      list.append(item);
    });
  };

  editor.querySelectorAll('#ed-weekdays button').forEach(button => button.addEventListener('click', () => {
    button.setAttribute('aria-pressed', button.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
    write();
  }));
  $('ed-except-add').addEventListener('click', () => {
    const date = $('ed-except').value;
    if (date && !exceptions.includes(date)) {
      exceptions.push(date);
      exceptions.sort();
      showExceptions();
      write();
    }
  });
  $('ed-apply').addEventListener('click', write);
  editor.querySelectorAll('select, input:not(#ed-except)').forEach(control => {
    control.addEventListener('change', write);
    control.addEventListener('input', write);
  });
});

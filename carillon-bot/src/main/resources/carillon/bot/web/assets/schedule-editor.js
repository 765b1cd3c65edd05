// The schedule editor: frequency, weekdays, nth weekday, time, zone, end and exceptions written out as the
// schedule's text form ("rrule RULE from DATE-TIME ZONE [except DATES]", docs/sessions.md). The text field stays
// the one the form sends; power users type in it directly. When the form opens with a schedule the editor can
// express (an RRULE it wrote, or a one-time daily/weekly form) its controls show it; otherwise it says so and the
// text form is what to edit. Each change writes the text and fires its input event, so the preview
// (session-form.js) shows the next occurrences.
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

  /** Shows the controls the chosen frequency and end use. */
  const show = () => {
    const frequency = $('ed-frequency').value;
    $('ed-weekdays').hidden = frequency !== 'WEEKLY';
    $('ed-monthly').hidden = frequency !== 'MONTHLY';
    $('ed-until-label').hidden = $('ed-end').value !== 'until';
    $('ed-count-label').hidden = $('ed-end').value !== 'count';
  };

  const write = () => {
    show();
    const frequency = $('ed-frequency').value;
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

  /** Two letters of RFC 5545 for a day name the text form accepts (MON, monday...), or undefined. */
  const dayCode = name => days.find(day => name.toUpperCase().startsWith(day)
    && ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].includes(name.toUpperCase().slice(0, 3)));

  /**
   * The editor's settings for a schedule's text form, or null when the editor cannot express it (cron, once,
   * several times a day, several schedules, an RRULE part it has no control for).
   */
  const parse = schedule => {
    const time = '([01]\\d|2[0-3]):([0-5]\\d)';
    let m = new RegExp('^daily ' + time + ' (\\S+)$', 'i').exec(schedule);
    if (m) {
      return {frequency: 'DAILY', interval: 1, time: m[1] + ':' + m[2], zone: m[3], days: [], exceptions: []};
    }
    m = new RegExp('^weekly (\\S+) ' + time + ' (\\S+)$', 'i').exec(schedule);
    if (m) {
      const codes = m[1].split(',').map(dayCode);
      return codes.includes(undefined) ? null
        : {frequency: 'WEEKLY', interval: 1, time: m[2] + ':' + m[3], zone: m[4], days: codes, exceptions: []};
    }
    m = new RegExp('^rrule (\\S+) from (\\d{4}-\\d{2}-\\d{2})T' + time + '(?::00)? (\\S+)(?: except (\\S+))?$', 'i')
      .exec(schedule);
    if (!m) {
      return null;
    }
    const found = {interval: 1, from: m[2], time: m[3] + ':' + m[4], zone: m[5], days: [], end: 'never',
      exceptions: m[6] ? m[6].split(',') : []};
    if (found.exceptions.some(date => !/^\d{4}-\d{2}-\d{2}$/.test(date))) {
      return null;
    }
    for (const part of m[1].toUpperCase().split(';')) {
      const [key, value] = part.split('=');
      if (key === 'FREQ' && ['DAILY', 'WEEKLY', 'MONTHLY'].includes(value)) {
        found.frequency = value;
      } else if (key === 'INTERVAL' && /^[1-9]\d?$/.test(value)) {
        found.interval = Number(value);
      } else if (key === 'COUNT' && /^[1-9]\d{0,2}$/.test(value)) {
        found.end = 'count';
        found.count = value;
      } else if (key === 'UNTIL' && /^\d{8}(T\d{6}Z?)?$/.test(value)) {
        found.end = 'until';
        found.until = value.slice(0, 4) + '-' + value.slice(4, 6) + '-' + value.slice(6, 8);
      } else if (key === 'BYDAY' && /^((MO|TU|WE|TH|FR|SA|SU),)*(MO|TU|WE|TH|FR|SA|SU)$/.test(value)) {
        found.days = value.split(',');
      } else if (key === 'BYDAY' && /^(\+?[1-5]|-1)(MO|TU|WE|TH|FR|SA|SU)$/.test(value)) {
        found.nth = String(Number(value.slice(0, -2)));
        found.nthDay = value.slice(-2);
      } else {
        return null;
      }
    }
    const fits = (found.frequency === 'DAILY' && found.days.length === 0 && !found.nth)
      || (found.frequency === 'WEEKLY' && !found.nth)
      || (found.frequency === 'MONTHLY' && found.nth && found.nth !== '5' && found.days.length === 0);
    return fits ? found : null;
  };

  /** Puts a saved schedule into the controls, without writing the text (it is already what it shows). */
  const read = () => {
    const schedule = text.value.trim();
    if (!schedule) {
      return;
    }
    const found = parse(schedule);
    const status = $('ed-status');
    if (!found) {
      status.textContent = status.dataset.unreadable;
      return;
    }
    $('ed-frequency').value = found.frequency;
    $('ed-interval').value = found.interval;
    editor.querySelectorAll('#ed-weekdays button').forEach(button =>
      button.setAttribute('aria-pressed', String(found.days.includes(button.dataset.day))));
    if (found.nth) {
      $('ed-nth').value = found.nth;
      $('ed-nth-day').value = found.nthDay;
    }
    $('ed-time').value = found.time;
    $('ed-zone').value = found.zone;
    if (found.from) {
      $('ed-from').value = found.from;
    }
    $('ed-end').value = found.end || 'never';
    if (found.count) {
      $('ed-count').value = found.count;
    }
    if (found.until) {
      $('ed-until').value = found.until;
    }
    exceptions.push(...found.exceptions);
    exceptions.sort();
    showExceptions();
    show();
    status.textContent = status.dataset.read;
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
  read();
});

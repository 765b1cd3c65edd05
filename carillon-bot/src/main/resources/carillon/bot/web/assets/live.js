// The live panel: follows /api/live/events for one guild and counts elapsed time between events.
// Everything is written with textContent: names come from users and are never parsed as markup.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const container = document.getElementById('slots');
  const connection = document.getElementById('connection');
  const log = document.getElementById('commands');
  const guild = container.dataset.guild;
  const texts = JSON.parse(document.getElementById('live-texts').textContent);
  let snapshot = null;
  let receivedAt = 0;

  const seconds = (ms) => Math.max(0, Math.round(ms / 1000)) + ' s';

  // Texts that change every second (elapsed and remaining time), kept so that the clock updates only them:
  // rebuilding the slots every second would swallow clicks and reset the volume being typed.
  let clocks = [];

  const times = (slot, since) => {
    const running = slot.state === 'PLAYING';
    const session = slot.session.name + ' · ' + seconds(slot.elapsedMs + since) + ' · ' + texts.volumeLevel + ' ' + slot.volume + '%';
    if (!slot.track) {
      return [session, texts.betweenTracks];
    }
    const elapsed = slot.track.elapsedMs + (running ? since : 0);
    return [session, slot.track.name + ': ' + seconds(elapsed) + ' ' + texts.played + ', ' + seconds(slot.track.durationMs - elapsed) + ' ' + texts.left];
  };

  const tick = () => {
    const since = Date.now() - receivedAt;
    for (const clock of clocks) {
      const [session, track] = times(clock.slot, since);
      clock.session.textContent = session;
      clock.track.textContent = track;
      const slot = clock.slot;
      const running = slot.state === 'PLAYING';
      if (slot.track) {
        clock.trackBar.max = slot.track.durationMs;
        clock.trackBar.value = Math.min(slot.track.durationMs, slot.track.elapsedMs + (running ? since : 0));
        clock.trackBar.hidden = false;
      } else {
        clock.trackBar.hidden = true;
      }
      if (slot.plannedMs) {
        clock.sessionBar.max = slot.plannedMs;
        clock.sessionBar.value = Math.min(slot.plannedMs, slot.elapsedMs + since);
      }
      clock.sessionBar.hidden = !slot.plannedMs;
    }
  };

  // Who listens and how much audio goes out, per account: refreshed from the slots snapshot every 2 s (the event
  // stream tells changes only). Packets per second come from two snapshots' framesSent (50/s while playing).
  const meters = new Map();
  const presence = (slot) => {
    const line = document.createElement('p');
    line.className = 'presence';
    const listeners = document.createElement('span');
    listeners.className = 'listeners';
    const meter = document.createElement('span');
    meter.className = 'meter';
    meter.setAttribute('aria-hidden', 'true'); // a picture of the rate next to it, which is read out
    const fill = document.createElement('span');
    meter.append(fill);
    const rate = document.createElement('span');
    rate.className = 'rate';
    line.append(listeners, ' · ', texts.activity + ' ', meter, ' ', rate);
    const known = meters.get(slot.account) || {};
    // A re-render (any change) keeps the last rate shown until the next refresh.
    rate.textContent = known.shown || '';
    fill.style.width = known.width || '0%';
    meters.set(slot.account, { listeners, meter, fill, rate, last: known.last, shown: known.shown, width: known.width });
    showPresence(slot);
    return line;
  };
  const showPresence = (slot, now) => {
    const m = meters.get(slot.account);
    if (!m) {
      return;
    }
    m.listeners.textContent = texts.inChannel + ': ' + (slot.listeners == null ? '?' : slot.listeners);
    if (slot.framesSent != null && now) {
      if (m.last && now > m.last.at) {
        const perSecond = Math.max(0, Math.round((slot.framesSent - m.last.frames) * 1000 / (now - m.last.at)));
        m.shown = perSecond + '/s';
        m.width = Math.min(100, perSecond * 2) + '%';
        m.rate.textContent = m.shown;
        m.fill.style.width = m.width;
      }
      m.last = { frames: slot.framesSent, at: now };
    }
  };
  setInterval(() => {
    fetch('/api/guilds/' + encodeURIComponent(guild) + '/live', { headers: { 'Accept': 'application/json' } })
      .then((response) => response.ok ? response.json() : null)
      .then((latest) => {
        if (latest) {
          const now = Date.now();
          latest.slots.filter((s) => s.session).forEach((s) => showPresence(s, now));
        }
      })
      .catch(() => {}); // the event stream reports the connection; this only refreshes the indicator
  }, 2000);

  /** A labelled progress bar (the label is read by screen readers with the bar's value). */
  const bar = (className, label) => {
    const progress = document.createElement('progress');
    progress.className = className;
    progress.setAttribute('aria-label', label);
    return progress;
  };

  const render = () => {
    if (!snapshot) {
      return;
    }
    container.replaceChildren();
    clocks = [];
    for (const slot of snapshot.slots) {
      const section = document.createElement('section');
      section.className = 'slot ' + slot.state.toLowerCase();
      const title = document.createElement('h2');
      title.textContent = slot.account;
      const state = document.createElement('p');
      state.className = 'state';
      state.dataset.state = slot.state; // the raw state for scripts and tests; the text is the page's language
      state.textContent = texts.states[slot.state] || slot.state;
      section.append(title, state);
      if (slot.session) {
        const session = document.createElement('p');
        session.className = 'session';
        const track = document.createElement('p');
        track.className = 'track';
        const trackBar = bar('track-progress', texts.track);
        const sessionBar = bar('session-progress', texts.session);
        clocks.push({ slot, session, track, trackBar, sessionBar });
        section.append(session, sessionBar, track, trackBar, presence(slot), controls(slot.session.id, slot.volume));
      }
      container.append(section);
    }
    tick();
  };

  // Controls post to the API with the login's CSRF token; the result arrives as a 'command' event below.
  const send = (sessionId, body) => fetch('/api/sessions/' + encodeURIComponent(sessionId) + '/commands', {
    method: 'POST',
    // One key per click: a request retried by the browser makes one command.
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': container.dataset.csrf,
      'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(body),
  }).then((response) => {
    if (!response.ok) {
      return response.json().then((problem) => { throw new Error(problem.detail || response.statusText); });
    }
  }).catch((error) => {
    const item = document.createElement('li');
    item.textContent = texts.notSent + ': ' + error.message;
    log.prepend(item);
  });

  const controls = (sessionId, volume) => {
    const bar = document.createElement('p');
    bar.className = 'controls';
    for (const kind of ['PAUSE', 'RESUME', 'SKIP', 'STOP']) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.kind = kind;
      button.textContent = texts[kind.toLowerCase()];
      button.addEventListener('click', () => send(sessionId, { kind }));
      bar.append(button);
    }
    const level = document.createElement('input');
    level.type = 'number';
    level.min = container.dataset.minVolume;
    level.max = container.dataset.maxVolume;
    level.value = String(volume);
    level.setAttribute('aria-label', texts.volume);
    const set = document.createElement('button');
    set.type = 'button';
    set.dataset.kind = 'VOLUME';
    set.textContent = texts.volume;
    set.addEventListener('click', () => send(sessionId, { kind: 'VOLUME', volume: Number(level.value) }));
    // The slider sends when let go (change), not on every step it passes (input).
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.className = 'volume-slider';
    slider.min = container.dataset.minVolume;
    slider.max = container.dataset.maxVolume;
    slider.step = '1';
    slider.value = String(volume);
    slider.setAttribute('aria-label', texts.volume);
    const shown = document.createElement('output');
    shown.textContent = volume + '%';
    slider.addEventListener('input', () => { shown.textContent = slider.value + '%'; level.value = slider.value; });
    // Keys change it a step at a time, each a 'change': one command once the steps stop, not one per step.
    let settle = null;
    slider.addEventListener('change', () => {
      clearTimeout(settle);
      settle = setTimeout(() => send(sessionId, { kind: 'VOLUME', volume: Number(slider.value) }), 400);
    });
    bar.append(level, set, slider, shown);
    return bar;
  };

  const events = new EventSource('/api/live/events?guild=' + encodeURIComponent(guild));
  events.addEventListener('open', () => { connection.textContent = texts.connected; });
  events.addEventListener('error', () => { connection.textContent = texts.reconnecting; });
  events.addEventListener('slots', (event) => {
    snapshot = JSON.parse(event.data);
    receivedAt = Date.now();
    render();
  });
  events.addEventListener('command', (event) => {
    const command = JSON.parse(event.data);
    const item = document.createElement('li');
    item.textContent = command.requestedBy + ': ' + command.kind + ' → ' + command.status
      + (command.result ? ' (' + command.result + ')' : '');
    log.prepend(item);
  });
  setInterval(tick, 1000);

  // Keyboard shortcuts for the first playing session: Space pause/resume, N skip, S stop, arrows volume.
  // Not while typing in a field, and not with a modifier (the browser's own shortcuts stay).
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || (target && target.closest && target.closest('input, textarea, select, button'))) {
      return;
    }
    const slot = snapshot && snapshot.slots.find((s) => s.session);
    if (!slot) {
      return;
    }
    const id = slot.session.id;
    if (event.key === ' ') {
      send(id, { kind: slot.state === 'PAUSED' ? 'RESUME' : 'PAUSE' });
    } else if (event.key === 'n' || event.key === 'N') {
      send(id, { kind: 'SKIP' });
    } else if (event.key === 's' || event.key === 'S') {
      send(id, { kind: 'STOP' });
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      const step = event.key === 'ArrowUp' ? 10 : -10;
      const volume = Math.max(Number(container.dataset.minVolume), Math.min(Number(container.dataset.maxVolume), slot.volume + step));
      send(id, { kind: 'VOLUME', volume });
    } else {
      return;
    }
    event.preventDefault();
  });
});

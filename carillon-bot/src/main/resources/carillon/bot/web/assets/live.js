// The live panel: follows /api/live/events for one guild and counts elapsed time between events.
// Everything is written with textContent: names come from users and are never parsed as markup.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const container = document.getElementById('slots');
  const connection = document.getElementById('connection');
  const log = document.getElementById('commands');
  const guild = container.dataset.guild;
  let snapshot = null;
  let receivedAt = 0;

  const seconds = (ms) => Math.max(0, Math.round(ms / 1000)) + ' s';

  const render = () => {
    if (!snapshot) {
      return;
    }
    const since = Date.now() - receivedAt;
    container.replaceChildren();
    for (const slot of snapshot.slots) {
      const section = document.createElement('section');
      section.className = 'slot ' + slot.state.toLowerCase();
      const title = document.createElement('h2');
      title.textContent = slot.account;
      const state = document.createElement('p');
      state.className = 'state';
      state.textContent = slot.state;
      section.append(title, state);
      if (slot.session) {
        const running = slot.state === 'PLAYING';
        const session = document.createElement('p');
        session.className = 'session';
        session.textContent = slot.session.name + ' · ' + seconds(slot.elapsedMs + since) + ' · volume ' + slot.volume + '%';
        section.append(session);
        const track = document.createElement('p');
        track.className = 'track';
        if (slot.track) {
          const elapsed = slot.track.elapsedMs + (running ? since : 0);
          track.textContent = slot.track.name + ': ' + seconds(elapsed) + ' played, '
            + seconds(slot.track.durationMs - elapsed) + ' left';
        } else {
          track.textContent = 'between tracks';
        }
        section.append(track);
      }
      container.append(section);
    }
  };

  const events = new EventSource('/api/live/events?guild=' + encodeURIComponent(guild));
  events.addEventListener('open', () => { connection.textContent = 'live'; });
  events.addEventListener('error', () => { connection.textContent = 'reconnecting…'; });
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
  setInterval(render, 1000);
});

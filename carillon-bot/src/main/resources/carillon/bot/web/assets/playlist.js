// The playlist editor: tracks are dragged from the library into the playlist and within it to reorder,
// or moved with the buttons (the keyboard's way). It replaces the form's plain selects, which remain the
// form without JavaScript; the order is sent as hidden "playlist" fields. Names are set with textContent.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const fieldset = document.querySelector('fieldset.playlist');
  if (!fieldset) {
    return;
  }
  const selects = [...fieldset.querySelectorAll('select[name=playlist]')];
  const library = [...selects[0].options].filter(o => o.value).map(o => ({ id: o.value, name: o.textContent }));
  const nameOf = (id) => (library.find(t => t.id === id) || { name: id }).name;
  let order = selects.map(s => s.value).filter(v => v);

  const editor = document.createElement('div');
  editor.className = 'playlist-editor';
  const source = document.createElement('ul');
  source.className = 'library-tracks';
  source.setAttribute('aria-label', 'Audio library');
  const target = document.createElement('ol');
  target.className = 'playlist-tracks';
  target.setAttribute('aria-label', 'Playlist');
  const hidden = document.createElement('div');
  editor.append(labelled('Library (drag into the playlist)', source), labelled('Playlist', target), hidden);
  selects.forEach(s => s.remove());
  fieldset.append(editor);

  function labelled(text, list) {
    const box = document.createElement('div');
    const title = document.createElement('p');
    title.textContent = text;
    box.append(title, list);
    return box;
  }

  function button(text, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', action);
    return b;
  }

  function render() {
    source.replaceChildren();
    for (const track of library) {
      const item = document.createElement('li');
      item.draggable = true;
      item.dataset.track = track.id;
      item.addEventListener('dragstart', e => e.dataTransfer.setData('text/plain', 'add:' + track.id));
      const name = document.createElement('span');
      name.textContent = track.name;
      item.append(name, button('Add', () => { order.push(track.id); render(); }));
      source.append(item);
    }
    target.replaceChildren();
    order.forEach((id, index) => {
      const item = document.createElement('li');
      item.draggable = true;
      item.dataset.track = id;
      item.addEventListener('dragstart', e => e.dataTransfer.setData('text/plain', 'move:' + index));
      item.addEventListener('dragover', e => e.preventDefault());
      item.addEventListener('drop', e => { e.preventDefault(); e.stopPropagation(); dropped(e, index); });
      const name = document.createElement('span');
      name.textContent = nameOf(id);
      item.append(name,
        button('Up', () => move(index, index - 1)),
        button('Down', () => move(index, index + 1)),
        button('Remove', () => { order.splice(index, 1); render(); }));
      target.append(item);
    });
    if (order.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'muted';
      empty.textContent = 'Empty: drag tracks here, or use Add.';
      target.append(empty);
    }
    hidden.replaceChildren(...order.map(id => {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'playlist';
      input.value = id;
      return input;
    }));
  }

  function move(from, to) {
    if (to < 0 || to >= order.length) {
      return;
    }
    const [id] = order.splice(from, 1);
    order.splice(to, 0, id);
    render();
  }

  function dropped(event, at) {
    const data = event.dataTransfer.getData('text/plain');
    if (data.startsWith('add:')) {
      order.splice(at, 0, data.slice(4));
      render();
    } else if (data.startsWith('move:')) {
      move(Number(data.slice(5)), at);
    }
  }

  target.addEventListener('dragover', e => e.preventDefault());
  target.addEventListener('drop', e => { e.preventDefault(); dropped(e, order.length); });
  render();
});

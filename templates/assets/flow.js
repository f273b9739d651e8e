// The live flow view (GET /flow): lights up the diagram with the moves of the session machines
// streamed at /flow/events, and lays the recorded traffic over it when a period is chosen.
// Every SVG element is found by the name the machine gives it (data-map, built by the server
// from the same model as the diagram). Only counts and event names are shown, never a session.
(() => {
  const root = document.getElementById('flow');
  const svg = root?.querySelector('svg');
  if (!root || !svg) return;
  const map = JSON.parse(root.dataset.map || '{}');
  const finals = new Set(map.finals);
  const pathOf = new Map(Object.entries(map.elements).map(([path, id]) => [id, path]));
  const idleMs = Number(root.dataset.idleSeconds || 1800) * 1000;
  const svgNs = 'http://www.w3.org/2000/svg';
  const xlinkNs = 'http://www.w3.org/1999/xlink';
  const byId = (id) => (id ? document.getElementById(id) : null);
  const text = (id, value) => {
    const element = document.getElementById(id);
    if (element) element.textContent = value;
  };

  function svgElement(name, attributes, content) {
    const element = document.createElementNS(svgNs, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    if (content !== undefined) element.textContent = content;
    return element;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const [tag, value] of cells) {
      const cell = document.createElement(tag);
      cell.textContent = value;
      tr.append(cell);
    }
    return tr;
  }

  /** `from|event|to`, else `*|event|to`: the edges a move passed along. */
  function edgesOf(from, event, to) {
    return map.moves[`${from}|${event}|${to}`] ?? map.moves[`*|${event}|${to}`] ?? [];
  }

  // --- flashes -------------------------------------------------------------------------------
  const flashTimers = new Map();
  function flash(element) {
    if (!element) return;
    clearTimeout(flashTimers.get(element));
    element.classList.remove('flow-flash');
    void element.getBoundingClientRect(); // restart the animation
    element.classList.add('flow-flash');
    flashTimers.set(
      element,
      setTimeout(() => element.classList.remove('flow-flash'), 1500),
    );
  }

  // --- live counts ---------------------------------------------------------------------------
  /** Hashed session → { path, at }; 'new' is every visitor without a session yet, not tracked. */
  const sessions = new Map();
  const badges = new Map();

  function badge(path) {
    if (badges.has(path)) return badges.get(path);
    const node = byId(map.elements[path]);
    if (!node) return null;
    const box = node.getBBox();
    const group = svgElement('g', { class: 'flow-badge' });
    group.append(svgElement('circle', { cx: box.x + box.width, cy: box.y, r: 9 }));
    const label = svgElement('text', { x: box.x + box.width, y: box.y + 3.5, 'text-anchor': 'middle' });
    group.append(label);
    node.append(group);
    const made = { node, group, label };
    badges.set(path, made);
    return made;
  }

  function countByState() {
    const counts = new Map();
    for (const { path } of sessions.values()) counts.set(path, (counts.get(path) ?? 0) + 1);
    return counts;
  }

  function renderCounts() {
    const counts = countByState();
    for (const [path, mark] of badges) {
      if (!counts.has(path)) {
        mark.group.remove();
        mark.node.classList.remove('flow-active');
        badges.delete(path);
      }
    }
    for (const [path, count] of counts) {
      const mark = badge(path);
      if (!mark) continue;
      mark.label.textContent = String(count);
      mark.node.classList.add('flow-active');
    }
    const body = document.getElementById('flow-active');
    body?.replaceChildren(
      ...[...counts]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([path, count]) =>
          row([
            ['td', path],
            ['td', String(count)],
          ]),
        ),
    );
    text('flow-total', String(sessions.size));
  }

  function log(event, to) {
    const list = document.getElementById('flow-log');
    if (!list) return;
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()}  ${event} → ${to}`;
    list.prepend(item);
    while (list.children.length > 20) list.lastElementChild?.remove();
  }

  /** XState's own bookkeeping: the actor of a request stopping is no move of the session. */
  const bookkeeping = new Set(['xstate.stop', 'xstate.init']);

  function move({ session, event, to }) {
    if (bookkeeping.has(event)) return;
    const from = sessions.get(session)?.path ?? '*';
    const edges = edgesOf(from, event, to);
    for (const id of edges) flash(byId(id));
    flash(byId(map.elements[to]));
    if (session !== 'new') {
      if (finals.has(to)) sessions.delete(session);
      else sessions.set(session, { path: to, at: Date.now() });
    }
    // the event as the diagram labels it (`done: authenticate`), when the move is on it
    log(edges[0]?.split('|')[1] ?? event, to);
    renderCounts();
  }

  // Sessions that stop moving have timed out (or continue under a new id after logging in).
  setInterval(() => {
    const stale = Date.now() - idleMs;
    let changed = false;
    for (const [session, { at }] of sessions) {
      if (at < stale) changed = sessions.delete(session);
    }
    if (changed) renderCounts();
  }, 10_000);

  const feed = new EventSource(root.dataset.events || '/flow/events');
  feed.addEventListener('open', () => text('flow-status', 'Live: showing moves as they happen.'));
  feed.addEventListener('error', () => text('flow-status', 'Live feed interrupted; reconnecting…'));
  feed.addEventListener('message', (message) => move(JSON.parse(message.data)));

  // --- recorded traffic ----------------------------------------------------------------------
  const traffic = new Map();

  function markEdge(id, { label, penwidth }) {
    const edge = byId(id);
    if (!edge) return;
    for (const line of edge.querySelectorAll('path, polygon')) line.setAttribute('stroke-width', penwidth);
    const labels = edge.querySelectorAll('text');
    const last = labels[labels.length - 1];
    if (!last) return;
    const y = Number(last.getAttribute('y')) + 11;
    const anchor = last.getAttribute('text-anchor') || 'middle';
    const attributes = { x: last.getAttribute('x'), y, 'text-anchor': anchor, class: 'flow-count' };
    edge.append(svgElement('text', attributes, label));
  }

  function markState(id, { lines, alert }) {
    const node = byId(id);
    if (!node) return;
    traffic.set(id, lines);
    if (alert) node.classList.add('flow-stuck');
    const link = node.querySelector('a');
    const title = link?.getAttributeNS(xlinkNs, 'title') ?? '';
    link?.setAttributeNS(xlinkNs, 'xlink:title', [title, ...lines].join('\n'));
  }

  async function showTraffic(url) {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`the traffic could not be read (${response.status})`);
    const overlay = await response.json();
    for (const [id, marks] of Object.entries(overlay.edges)) markEdge(id, marks);
    for (const [id, marks] of Object.entries(overlay.states)) markState(id, marks);
    text('flow-legend', overlay.legend);
    const endings = [...traffic].map(([id, lines]) =>
      row([
        ['td', pathOf.get(id) || '(unknown state)'],
        ['td', lines.join('; ')],
      ]),
    );
    if (endings.length === 0)
      endings.push(
        row([
          ['td', '—'],
          ['td', 'No session ended in this period.'],
        ]),
      );
    document.getElementById('flow-endings')?.replaceChildren(...endings);
    const section = document.getElementById('flow-traffic');
    if (section) section.hidden = false;
  }

  if (root.dataset.overlay) {
    showTraffic(root.dataset.overlay).catch((error) => text('flow-legend', String(error.message)));
  }

  // --- details and zoom ----------------------------------------------------------------------
  root.addEventListener('click', (event) => {
    const node = event.target instanceof Element ? event.target.closest('g.node, g.cluster') : null;
    if (!node) return;
    event.preventDefault(); // the links point into the explorer page, not this one
    const path = pathOf.get(node.id);
    if (path === undefined) return;
    const active = countByState().get(path) ?? 0;
    const lines = traffic.get(node.id) ?? [];
    text(
      'flow-selected',
      [`${path || 'every state'}: ${active} active session${active === 1 ? '' : 's'}`, ...lines].join('\n'),
    );
  });

  const zoom = document.getElementById('flow-zoom');
  zoom?.addEventListener('click', () => {
    const actual = root.classList.toggle('flow-diagram--actual');
    zoom.setAttribute('aria-pressed', String(actual));
  });
})();

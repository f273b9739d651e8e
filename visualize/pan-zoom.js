/**
 * Zoom, pan and search for a diagram drawn as inline SVG, in the explorer page (inlined there by
 * explorer.ts: the page needs no network). The diagram opens fitted to its frame.
 *
 * Mouse: the wheel zooms around the pointer, dragging pans. Touch: one finger pans, two pinch.
 * Keyboard (the frame focused): + and - zoom, the arrow keys pan, 0 fits the whole diagram.
 * Search: the states and events of `#diagram-index` (JSON: [{ name, kind, elements, href }]);
 * choosing one highlights its elements and brings them into view.
 */
(() => {
  const frame = document.getElementById('diagram');
  const stage = document.getElementById('stage');
  const svg = stage?.querySelector('svg');
  if (!frame || !stage || !svg) return;

  const view = { x: 0, y: 0, scale: 1 };
  const limits = { min: 0.05, max: 8 };
  // The drawing's own size, in CSS pixels at scale 1.
  const natural = { width: svg.width.baseVal.value, height: svg.height.baseVal.value };

  function apply() {
    stage.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
    frame.dataset.scale = view.scale.toFixed(3);
  }

  function fitAll() {
    const margin = 8;
    const width = frame.clientWidth - 2 * margin;
    const height = frame.clientHeight - 2 * margin;
    view.scale = Math.min(width / natural.width, height / natural.height, 1);
    view.x = (frame.clientWidth - natural.width * view.scale) / 2;
    view.y = (frame.clientHeight - natural.height * view.scale) / 2;
    apply();
  }

  /** Zooms by `factor`, keeping the point (px, py) of the frame where it is. */
  function zoomAt(factor, px, py) {
    const scale = Math.min(limits.max, Math.max(limits.min, view.scale * factor));
    const applied = scale / view.scale;
    view.x = px - (px - view.x) * applied;
    view.y = py - (py - view.y) * applied;
    view.scale = scale;
    apply();
  }

  function zoomCentre(factor) {
    zoomAt(factor, frame.clientWidth / 2, frame.clientHeight / 2);
  }

  function panBy(dx, dy) {
    view.x += dx;
    view.y += dy;
    apply();
  }

  function framePoint(event) {
    const box = frame.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  frame.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const point = framePoint(event);
      zoomAt(Math.exp(-event.deltaY * 0.0015), point.x, point.y);
    },
    { passive: false },
  );

  // Pointers down, by id: one pans, two pinch. A press that moved is a drag, not a click on a state.
  const pointers = new Map();
  let moved = 0;
  frame.addEventListener('pointerdown', (event) => {
    if (event.target.closest('.diagram__tools')) return;
    pointers.set(event.pointerId, framePoint(event));
    if (pointers.size === 1) moved = 0;
  });
  frame.addEventListener('pointermove', (event) => {
    const last = pointers.get(event.pointerId);
    if (!last) return;
    const point = framePoint(event);
    if (pointers.size === 1) {
      panBy(point.x - last.x, point.y - last.y);
      moved += Math.abs(point.x - last.x) + Math.abs(point.y - last.y);
      if (moved > 4) frame.setPointerCapture(event.pointerId);
    } else if (pointers.size === 2) {
      const other = [...pointers].find(([id]) => id !== event.pointerId)?.[1];
      const before = Math.hypot(last.x - other.x, last.y - other.y);
      const after = Math.hypot(point.x - other.x, point.y - other.y);
      if (before > 0) zoomAt(after / before, (point.x + other.x) / 2, (point.y + other.y) / 2);
      moved += 10;
    }
    pointers.set(event.pointerId, point);
  });
  const release = (event) => pointers.delete(event.pointerId);
  frame.addEventListener('pointerup', release);
  frame.addEventListener('pointercancel', release);
  frame.addEventListener(
    'click',
    (event) => {
      if (moved > 4) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );

  const keys = {
    '+': () => zoomCentre(1.25),
    '=': () => zoomCentre(1.25),
    '-': () => zoomCentre(0.8),
    0: fitAll,
    ArrowLeft: () => panBy(60, 0),
    ArrowRight: () => panBy(-60, 0),
    ArrowUp: () => panBy(0, 60),
    ArrowDown: () => panBy(0, -60),
  };
  frame.addEventListener('keydown', (event) => {
    const action = keys[event.key];
    if (!action || event.target.closest('input')) return;
    event.preventDefault();
    action();
  });
  for (const button of frame.querySelectorAll('[data-zoom]')) {
    const actions = { in: () => zoomCentre(1.25), out: () => zoomCentre(0.8), fit: fitAll };
    button.addEventListener('click', () => actions[button.dataset.zoom]());
  }

  // ---------------------------------------------------------------------------------------------
  // Search

  const index = JSON.parse(document.getElementById('diagram-index')?.textContent ?? '[]');
  const input = document.getElementById('diagram-search');
  const results = document.getElementById('diagram-results');

  /** Brings the elements into view (zoomed in, at most to scale 1) and marks them. */
  function show(entry) {
    for (const marked of svg.querySelectorAll('.found')) marked.classList.remove('found');
    const elements = entry.elements.map((id) => document.getElementById(id)).filter(Boolean);
    if (elements.length === 0) return;
    for (const element of elements) element.classList.add('found');
    const boxes = elements.map((element) => element.getBoundingClientRect());
    const frameBox = frame.getBoundingClientRect();
    const left = Math.min(...boxes.map((b) => b.left)) - frameBox.left;
    const top = Math.min(...boxes.map((b) => b.top)) - frameBox.top;
    const right = Math.max(...boxes.map((b) => b.right)) - frameBox.left;
    const bottom = Math.max(...boxes.map((b) => b.bottom)) - frameBox.top;
    // The box in the drawing's own pixels, then the scale that shows it with room around it.
    const width = (right - left) / view.scale;
    const height = (bottom - top) / view.scale;
    const originX = (left - view.x) / view.scale;
    const originY = (top - view.y) / view.scale;
    view.scale = Math.min(1, (frame.clientWidth * 0.6) / width, (frame.clientHeight * 0.6) / height);
    view.x = frame.clientWidth / 2 - (originX + width / 2) * view.scale;
    view.y = frame.clientHeight / 2 - (originY + height / 2) * view.scale;
    apply();
    frame.dataset.found = entry.name;
  }

  function choose(entry) {
    show(entry);
    results.replaceChildren();
    input.value = entry.name;
  }

  function list(query) {
    const words = query.trim().toLowerCase();
    results.replaceChildren();
    if (!words) return;
    const found = index.filter((entry) => entry.name.toLowerCase().includes(words)).slice(0, 30);
    for (const entry of found) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${entry.name} (${entry.kind})`;
      button.addEventListener('click', () => choose(entry));
      item.append(button);
      if (entry.href) {
        const link = document.createElement('a');
        link.href = entry.href;
        link.textContent = 'details';
        item.append(' ', link);
      }
      results.append(item);
    }
    if (found.length === 0)
      results.append(Object.assign(document.createElement('li'), { textContent: 'No match' }));
  }

  input?.addEventListener('input', () => list(input.value));
  input?.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const words = input.value.trim().toLowerCase();
    const entry =
      index.find((e) => e.name.toLowerCase() === words) ??
      index.find((e) => e.name.toLowerCase().includes(words));
    if (entry) choose(entry);
  });

  fitAll();
  window.addEventListener('resize', fitAll);
})();

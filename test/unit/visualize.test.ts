/**
 * The diagrams are complete and current. This test reads the machine's configuration as its
 * author wrote it (not the state nodes the diagrams are drawn from), resolves every target
 * itself, and checks that each state, initial state, transition (source → event → target, with
 * guard and actions), guard and event type is in the DOT and in the Mermaid; then that
 * regenerating the committed files gives exactly the same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionMachine } from '../../machines/session.ts';
import { type Diagrams, generateDiagrams, outDir } from '../../visualize/generate.ts';

interface TransitionConfig {
  target?: string | string[];
  guard?: string | { type: string };
  actions?: unknown;
}
type TransitionsConfig = string | TransitionConfig | (string | TransitionConfig)[];
interface StateConfig {
  id?: string;
  type?: string;
  initial?: string;
  tags?: string[];
  meta?: { url?: string };
  states?: Record<string, StateConfig>;
  on?: Record<string, TransitionsConfig>;
  always?: TransitionsConfig;
  after?: Record<string, TransitionsConfig>;
  onDone?: TransitionsConfig;
  invoke?: InvokeConfig | InvokeConfig[];
}
interface InvokeConfig {
  src: string;
  onDone?: TransitionsConfig;
  onError?: TransitionsConfig;
}

interface ExpectedState {
  id: string;
  key: string;
  parent?: string;
  compound: boolean;
  config: StateConfig;
}
interface ExpectedTransition {
  source: string;
  trigger: string;
  guard?: string;
  actions: string[];
  target: string;
}

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function name(value: unknown): string {
  if (typeof value === 'string') return value;
  return String((value as { type?: string }).type);
}

/** The machine as its author wrote it: states by id, transitions with their targets resolved. */
function readConfig() {
  const root = sessionMachine.config as unknown as StateConfig & { id: string };
  const states: ExpectedState[] = [];
  const visit = (config: StateConfig, id: string, key: string, parent?: string) => {
    states.push({ id, key, parent, compound: Object.keys(config.states ?? {}).length > 0, config });
    for (const [childKey, child] of Object.entries(config.states ?? {})) {
      visit(child, child.id ?? `${id}.${childKey}`, childKey, id);
    }
  };
  visit(root, root.id, root.id);
  const ids = new Set(states.map((state) => state.id));

  const resolve = (state: ExpectedState, target: string): string => {
    const id = target.startsWith('#')
      ? target.slice(1)
      : target.startsWith('.')
        ? `${state.id}${target}`
        : `${state.parent}.${target}`;
    if (!ids.has(id)) throw new Error(`${state.id}: cannot resolve target ${target}`);
    return id;
  };

  const transitions: ExpectedTransition[] = [];
  const add = (state: ExpectedState, trigger: string, configs: TransitionsConfig | undefined) => {
    for (const item of list(configs)) {
      const transition: TransitionConfig = typeof item === 'string' ? { target: item } : item;
      const targets = list(transition.target).map((target) => resolve(state, target));
      for (const target of targets.length > 0 ? targets : [state.id]) {
        transitions.push({
          source: state.id,
          trigger,
          ...(transition.guard ? { guard: name(transition.guard) } : {}),
          actions: list(transition.actions as unknown[]).map(name),
          target,
        });
      }
    }
  };
  for (const state of states) {
    const { config } = state;
    for (const [event, configs] of Object.entries(config.on ?? {})) add(state, event, configs);
    for (const invoke of list(config.invoke)) {
      add(state, `done: ${invoke.src}`, invoke.onDone);
      add(state, `error: ${invoke.src}`, invoke.onError);
    }
    for (const [delay, configs] of Object.entries(config.after ?? {}))
      add(state, `after ${delay}ms`, configs);
    add(state, 'always', config.always);
    add(state, 'done', config.onDone);
  }
  const initials = states
    .filter((state) => state.compound)
    .map((state) => ({
      parent: state.id,
      child: resolve({ ...state, parent: state.id }, state.config.initial as string),
    }));
  const guards = new Set(transitions.flatMap((t) => (t.guard ? [t.guard] : [])));
  const eventTypes = new Set(states.flatMap((state) => Object.keys(state.config.on ?? {})));
  return { rootId: root.id, states, transitions, initials, guards, eventTypes };
}

const machine = readConfig();

function label(t: { trigger: string; guard?: string; actions: string[] }): string {
  const head = t.guard ? `${t.trigger} [${t.guard}]` : t.trigger;
  return t.actions.length > 0 ? `${head} / ${t.actions.join(', ')}` : head;
}

function key(t: { source: string; target: string } & Parameters<typeof label>[0]): string {
  return `${t.source} --${label(t)}--> ${t.target}`;
}

/** DOT edges back to machine terms: a cluster end (`ltail`/`lhead`) stands for its compound state. */
function dotEdges(dot: string) {
  const edges: { tail: string; head: string; attrs: Map<string, string> }[] = [];
  for (const line of dot.split('\n')) {
    const match = /^\s*"([^"]+)" -> "([^"]+)" \[(.*)\];$/.exec(line);
    if (!match) continue;
    const [, tail, head, rest] = match as unknown as [string, string, string, string];
    const attrs = new Map<string, string>();
    for (const attr of rest.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      attrs.set(attr[1] as string, attr[2] as string);
    edges.push({ tail, head, attrs });
  }
  const cluster = (value: string | undefined) => value?.replace(/^cluster_/, '');
  return edges.map((edge) => ({
    source: cluster(edge.attrs.get('ltail')) ?? edge.tail,
    target: cluster(edge.attrs.get('lhead')) ?? edge.head,
    label: (edge.attrs.get('label') ?? '').replaceAll('\\n', ' ').replaceAll('\\"', '"'),
  }));
}

function mermaidId(id: string): string {
  return id.replaceAll(/\W/g, '_');
}

function mermaidTransitions(mmd: string) {
  const decode = (text: string) => text.replaceAll('#58;', ':').replaceAll('#59;', ';');
  const transitions: { source: string; target: string; label: string }[] = [];
  for (const line of mmd.split('\n')) {
    const match = /^\s*(\S+) --> (\S+)(?: : (.*))?$/.exec(line);
    if (match)
      transitions.push({
        source: match[1] as string,
        target: match[2] as string,
        label: decode(match[3] ?? ''),
      });
  }
  return transitions;
}

let diagrams: Diagrams;
let dot: string;
let mmd: string;

beforeAll(async () => {
  diagrams = await generateDiagrams(sessionMachine);
  dot = diagrams.files.get(`${machine.rootId}.dot`) as string;
  mmd = diagrams.files.get(`${machine.rootId}.mmd`) as string;
});

describe('the DOT diagram', () => {
  it('has every state: compound ones as clusters, pages with their URL, busy and final ones marked', () => {
    const lines = dot.split('\n');
    for (const state of machine.states) {
      if (state.id === machine.rootId) continue;
      if (state.compound) {
        expect(dot, state.id).toContain(`subgraph "cluster_${state.id}" {`);
        continue;
      }
      const node = lines.find((line) => line.trimStart().startsWith(`"${state.id}" [`));
      expect(node, state.id).toBeDefined();
      if (state.config.meta?.url) expect(node, state.id).toContain(`>${state.config.meta.url}<`);
      if (state.config.type === 'final') expect(node, state.id).toContain('peripheries="2"');
      if (state.config.tags?.includes('busy')) expect(node, state.id).toContain('dashed');
    }
  });

  it('has every transition with its event, guard, actions and target, and nothing else', () => {
    const initialEdges = new Set(machine.initials.map((i) => `initial:${i.parent}`));
    const drawn = dotEdges(dot)
      .filter((edge) => !initialEdges.has(edge.source))
      .map((edge) => `${edge.source} --${edge.label}--> ${edge.target}`);
    expect(drawn.sort()).toEqual(machine.transitions.map(key).sort());
  });

  it('marks the initial state of the machine and of every compound state', () => {
    const edges = dotEdges(dot);
    for (const { parent, child } of machine.initials) {
      expect(edges, parent).toContainEqual({ source: `initial:${parent}`, target: child, label: '' });
    }
  });

  it('names every guard and every event type', () => {
    for (const guard of machine.guards) expect(dot).toContain(`[${guard}]`);
    const labels = dotEdges(dot).map((edge) => edge.label.split(' ')[0]);
    for (const eventType of machine.eventTypes) expect(labels, eventType).toContain(eventType);
  });
});

describe('the Mermaid diagram', () => {
  it('is a stateDiagram-v2 with every state, compound ones nested', () => {
    const lines = mmd.split('\n');
    expect(lines[0]).toBe('stateDiagram-v2');
    const indent = (line: string) => line.length - line.trimStart().length;
    for (const state of machine.states) {
      if (state.id === machine.rootId) continue;
      const declaration = `state "${state.key}" as ${mermaidId(state.id)}${state.compound ? ' {' : ''}`;
      const start = lines.findIndex((line) => line.trim() === declaration);
      expect(start, state.id).toBeGreaterThan(0);
      if (!state.compound) continue;
      const open = lines[start] as string;
      const end = lines.findIndex(
        (line, i) => i > start && line.trim() === '}' && indent(line) === indent(open),
      );
      const body = lines.slice(start + 1, end);
      for (const child of Object.keys(state.config.states ?? {})) {
        const childId = mermaidId(`${state.id}.${child}`);
        expect(
          body.some((line) => line.trim().startsWith(`state "${child}" as ${childId}`)),
          childId,
        ).toBe(true);
      }
    }
  });

  it('has every transition with its event, guard, actions and target, and nothing else', () => {
    const drawn = mermaidTransitions(mmd)
      .filter((t) => t.source !== '[*]' && t.target !== '[*]')
      .map((t) => `${t.source} --${t.label}--> ${t.target}`);
    const expected = machine.transitions.map((t) =>
      key({ ...t, source: mermaidId(t.source), target: mermaidId(t.target) }),
    );
    expect(drawn.sort()).toEqual(expected.sort());
  });

  it('marks initial and final states', () => {
    const drawn = mermaidTransitions(mmd);
    for (const { child } of machine.initials)
      expect(drawn).toContainEqual({ source: '[*]', target: mermaidId(child), label: '' });
    for (const state of machine.states.filter((s) => s.config.type === 'final')) {
      expect(drawn).toContainEqual({ source: mermaidId(state.id), target: '[*]', label: '' });
    }
  });

  it('names every guard and every event type', () => {
    const labels = mermaidTransitions(mmd).map((t) => t.label);
    for (const guard of machine.guards)
      expect(
        labels.some((l) => l.includes(`[${guard}]`)),
        guard,
      ).toBe(true);
    for (const eventType of machine.eventTypes) {
      expect(
        labels.some((l) => l.split(' ')[0] === eventType),
        eventType,
      ).toBe(true);
    }
  });
});

describe('the committed diagrams', () => {
  it('are exactly what the machine generates (run `npm run visualize` after changing it)', () => {
    for (const [file, content] of diagrams.files) {
      expect(readFileSync(join(outDir, file), 'utf8'), `visualize/out/${file}`).toBe(content);
    }
  });

  it('come out the same on every run', async () => {
    const again = await generateDiagrams(sessionMachine);
    expect(again.files).toEqual(diagrams.files);
  });
});

/**
 * Mermaid `stateDiagram-v2` of a machine, with compound states nested. Every transition is
 * written in the block of the deepest state holding both of its ends, as Mermaid wants; the
 * root's own transitions leave from an "every state" box, as in the DOT.
 */
import { isBusy } from '../src/diagram/dot.ts';
import { commonAncestor, type MachineModel, type StateModel, transitionLabel } from '../src/diagram/model.ts';

/** A Mermaid id: no dots, dashes or spaces. */
export function mermaidId(stateId: string): string {
  return stateId.replaceAll(/[^A-Za-z0-9_]/g, '_');
}

/** Mermaid ends a label at `:` or `;`; its entity codes keep them. */
export function mermaidText(text: string): string {
  return text.replaceAll(';', '#59;').replaceAll(':', '#58;');
}

function stateDescription(state: StateModel): string[] {
  const lines: string[] = [];
  if (typeof state.meta?.url === 'string') lines.push(state.meta.url);
  for (const src of state.invokes) lines.push(`runs ${src}`);
  return lines;
}

export function toMermaid(model: MachineModel): string {
  const root = model.states[0] as StateModel;
  /** Transition lines by the id of the block they are written in. */
  const linesIn = new Map<string, string[]>();
  const add = (block: string, line: string) => linesIn.set(block, [...(linesIn.get(block) ?? []), line]);
  for (const state of model.states) {
    for (const transition of state.transitions) {
      const actions = transition.actions.length > 0 ? ` / ${transition.actions.join(', ')}` : '';
      const label = mermaidText(`${transitionLabel(transition)}${actions}`);
      for (const target of transition.targets.length > 0 ? transition.targets : [state.id]) {
        const block = state.id === root.id ? root : commonAncestor(model, state.id, target);
        add(block.id, `${mermaidId(state.id)} --> ${mermaidId(target)} : ${label}`);
      }
    }
  }

  const out: string[] = [
    'stateDiagram-v2',
    '  %% Generated from the session machine by `npm run visualize`; do not edit.',
    '  classDef busy fill:#fff3cd,stroke:#9a7a1c,stroke-dasharray:5 5',
    '  classDef final fill:#eeeeee',
    '  classDef signedIn fill:#e3edf9',
    '  classDef everyState fill:#ffffff,stroke-dasharray:5 5',
  ];
  if (root.transitions.length > 0) {
    out.push(`  state "every state" as ${mermaidId(root.id)}`);
    out.push(`  note right of ${mermaidId(root.id)} : the root's transitions, accepted in every state`);
  }
  const block = (state: StateModel, indent: string) => {
    if (state.initial) out.push(`${indent}[*] --> ${mermaidId(state.initial)}`);
    for (const id of state.children) {
      const child = model.byId.get(id) as StateModel;
      const name = `state "${child.key}" as ${mermaidId(child.id)}`;
      if (child.children.length > 0) {
        out.push(`${indent}${name} {`);
        block(child, `${indent}  `);
        out.push(`${indent}}`);
      } else {
        out.push(`${indent}${name}`);
        for (const line of stateDescription(child))
          out.push(`${indent}${mermaidId(child.id)} : ${mermaidText(line)}`);
      }
    }
    for (const line of linesIn.get(state.id) ?? []) out.push(`${indent}${line}`);
    for (const id of state.children) {
      if (model.byId.get(id)?.kind === 'final') out.push(`${indent}${mermaidId(id)} --> [*]`);
    }
  };
  block(root, '  ');

  const classes: [string, (state: StateModel) => boolean][] = [
    ['busy', isBusy],
    ['final', (state) => state.kind === 'final'],
    ['signedIn', (state) => state.meta?.signedIn === true],
  ];
  for (const [name, applies] of classes) {
    const ids = model.states
      .filter((state) => state.children.length === 0 && applies(state))
      .map((s) => mermaidId(s.id));
    if (ids.length > 0) out.push(`  class ${ids.join(',')} ${name}`);
  }
  if (root.transitions.length > 0) out.push(`  class ${mermaidId(root.id)} everyState`);
  out.push('');
  return out.join('\n');
}

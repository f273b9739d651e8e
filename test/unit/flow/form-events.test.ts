/**
 * One list of events (machines/session.ts): the machine takes exactly the moves and forms it lists
 * and the engine's own events; each form's schema reads exactly the fields its event's entry names,
 * and turns every valid payload of the path model into that event, carrying nothing else.
 */
import { describe, expect, it } from 'vitest';
import {
  engineEvents,
  type FormEventType,
  formEvents,
  formEventTypes,
  postableEvents,
  sessionMachine,
} from '../../../machines/session.ts';
import { formEvent, forms } from '../../../src/flow/forms.ts';
import { indexPages } from '../../../src/flow/pages.ts';
import { payloads, sampleFacts } from '../../paths/payloads.ts';

const index = indexPages(sessionMachine);
const sorted = (names: Iterable<string>) => [...names].sort();

/** The list's entry of a form, with every kind of field (empty when the entry has none). */
function entry(type: FormEventType) {
  const spec: Partial<Record<'values' | 'secrets' | 'confirms', readonly string[]>> & { choice?: string } =
    formEvents[type];
  const choice = spec.choice ? [spec.choice] : [];
  return {
    values: [...(spec.values ?? []), ...choice],
    secrets: [...(spec.secrets ?? [])],
    confirms: [...(spec.confirms ?? [])],
    choice,
  };
}

describe('the one list of events', () => {
  it('names every event the machine takes: the postable moves and forms, and the engine’s own', () => {
    expect(sorted(index.eventTypes)).toEqual(sorted([...postableEvents, ...engineEvents]));
    expect(sorted(index.postable)).toEqual(sorted(postableEvents));
  });

  it('has a schema for every form it lists, and no other', () => {
    expect(sorted(Object.keys(forms))).toEqual(sorted(formEventTypes));
  });

  it.each(formEventTypes)('%s: the schema reads exactly the fields the list gives its event', (type) => {
    const { values, secrets, confirms } = entry(type);
    expect(sorted(forms[type].valueFields)).toEqual(sorted(values));
    expect(sorted(forms[type].secretFields)).toEqual(sorted([...secrets, ...confirms]));
  });

  it.each(formEventTypes)(
    '%s: every valid payload becomes its event, carrying only the list’s fields',
    (type) => {
      const { values, secrets, choice } = entry(type);
      const valid = payloads[type].valid;
      expect(valid.length).toBeGreaterThan(0);
      for (const payload of valid) {
        const event = formEvent(type, payload.fields(sampleFacts), {
          userId: sampleFacts.userId,
          lang: 'ja',
        });
        expect(event.type, payload.name).toBe(type);
        if (choice.length > 0) {
          expect(sorted(Object.keys(event)), payload.name).toEqual(sorted(['type', ...choice]));
          continue;
        }
        const carried = event as { values: Record<string, string>; secrets?: Record<string, string> };
        for (const name of Object.keys(carried.values)) expect(values, payload.name).toContain(name);
        expect(sorted(Object.keys(carried.secrets ?? {})), payload.name).toEqual(sorted(secrets));
      }
    },
  );
});

/**
 * Checked by the type check (`tsc -p .`), not run: the machine's side effects are provided under
 * their names, all of them and no other. Each `@ts-expect-error` fails the check if the line under
 * it compiles, so a renamed or missing effect that compiled would fail here.
 */
import { sessionMachine } from '../../../machines/session.ts';
import { type Effects, provideEffects } from '../../../src/flow/effects.ts';

declare const effects: Effects;
const { setPassword: _left, ...withoutSetPassword } = effects;

export const complete = provideEffects(sessionMachine, effects);

// @ts-expect-error an effect the machine names is missing
export const missing = provideEffects(sessionMachine, withoutSetPassword);

// @ts-expect-error an effect under a name the machine does not use (verifyLink misnamed)
export const misnamed = provideEffects(sessionMachine, { ...effects, verifyLinks: effects.verifyLink });

const renamedEffects = { ...withoutSetPassword, setPasswords: effects.setPassword };
// @ts-expect-error renamed: setPassword provided only as setPasswords
export const renamed = provideEffects(sessionMachine, renamedEffects);

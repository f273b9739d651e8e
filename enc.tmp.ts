import { readFileSync } from 'node:fs';
import { sessionMachine } from './machines/session.ts';
import { pureTransitions, snapshotResolver } from './src/flow/xstate-shims.ts';

const raw = readFileSync('/tmp/rec.txt', 'utf8').trimEnd();
const record = JSON.parse(raw.slice(raw.indexOf('\n') + 1));
const resolve = snapshotResolver(sessionMachine);
const pure = pureTransitions(sessionMachine, resolve);
const snap = resolve(record.snapshot);
const { next } = pure(snap, { type: 'GO_USER_INFO' } as never);
const persisted = sessionMachine.getPersistedSnapshot(next);
const rec = { ...record, snapshot: persisted };
const plain = JSON.parse(JSON.stringify(rec));
const time = (label: string, f: () => unknown) => {
  for (let i = 0; i < 20000; i++) f();
  const t = performance.now();
  for (let i = 0; i < 200000; i++) f();
  console.log(label, (((performance.now() - t) * 1000) / 200000).toFixed(2), 'µs');
};
time('stringify real', () => JSON.stringify(rec));
time('stringify plain', () => JSON.stringify(plain));
time('persist+stringify', () =>
  JSON.stringify({ ...record, snapshot: sessionMachine.getPersistedSnapshot(next) }),
);
time('parse', () => JSON.parse(raw.slice(raw.indexOf('\n') + 1)));
console.log(JSON.stringify(persisted).length, Object.keys(persisted));

/** The log destination: bounded, never waiting for its reader; pretty lines for development. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { droppedLogLines, logDestination, prettyLine } from '../../src/ops/logging.ts';

/** A reader that takes nothing until `catchUp()`, then everything at once, until `stall()`. */
function stalledReader() {
  const read: string[] = [];
  const waiting: (() => void)[] = [];
  let stalled = true;
  const stream = new Writable({
    write(chunk, _encoding, done) {
      read.push(String(chunk));
      if (stalled) waiting.push(done);
      else done();
    },
  });
  const catchUp = () => {
    stalled = false;
    for (const done of waiting.splice(0)) done();
  };
  const stall = () => {
    stalled = true;
  };
  return { stream, read, catchUp, stall };
}

const line = (msg: string) => `${JSON.stringify({ level: 30, time: 0, msg })}\n`;

describe('log destination', () => {
  it('drops and counts the lines past its limit, and reports the drop once, after the reader caught up', async () => {
    const reader = stalledReader();
    const sample = line('x'.repeat(90));
    const destination = logDestination(reader.stream, { limitBytes: 10 * sample.length });
    const droppedBefore = droppedLogLines();

    for (let i = 0; i < 25; i++) destination.write(sample);
    // returns at once every time; ten lines wait for the reader, fifteen are dropped
    expect(droppedLogLines() - droppedBefore).toBe(15);

    reader.catchUp();
    destination.write(line('after'));
    const reports = () => reader.read.filter((text) => text.includes('log lines dropped'));
    expect(reader.read.filter((text) => text === sample)).toHaveLength(10);
    expect(reports()).toHaveLength(1);
    expect(reader.read.slice(-2)).toEqual([reports()[0], line('after')]);
    expect(JSON.parse(reports()[0] as string)).toMatchObject({ level: 40 });

    // a second stall is counted, not reported again
    reader.stall();
    for (let i = 0; i < 12; i++) destination.write(sample);
    expect(droppedLogLines() - droppedBefore).toBe(17);
    reader.catchUp();
    destination.write(line('after again'));
    expect(reader.read.at(-1)).toBe(line('after again'));
    expect(reports()).toHaveLength(1);
  });

  it('prints human-readable lines when asked: time, level, message, request, status and time taken', () => {
    const time = Date.UTC(2026, 10, 29, 8, 12, 41, 123);
    expect(
      prettyLine(
        JSON.stringify({
          level: 30,
          time,
          pid: 1,
          hostname: 'h',
          reqId: 'r1',
          req: { method: 'GET', url: '/menu' },
          msg: 'incoming request',
        }),
      ),
    ).toBe('08:12:41.123 INFO  incoming request GET /menu reqId=r1\n');
    expect(
      prettyLine(
        JSON.stringify({
          level: 40,
          time,
          reqId: 'r1',
          res: { statusCode: 303 },
          responseTime: 3.14,
          msg: 'request completed',
        }),
      ),
    ).toBe('08:12:41.123 WARN  request completed 303 in 3.1 ms reqId=r1\n');
    const reader = stalledReader();
    reader.catchUp();
    logDestination(reader.stream, { pretty: true }).write(line('Zairyu at http://127.0.0.1:3000'));
    expect(reader.read).toEqual(['00:00:00.000 INFO  Zairyu at http://127.0.0.1:3000\n']);
  });
});

/**
 * SECURITY.md stays true to the tests: every test it cites (`file › title`, or
 * `file › describe › title`) exists under that exact title, every level-1 and level-2 requirement
 * of the chapters it covers has its row at the level the standard gives, and no cell is left to
 * fill (`TODO(`). A renamed or removed test breaks this test, not silently the document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'SECURITY.md'), 'utf8');

/**
 * The level-1 and level-2 requirements of ASVS 5.0.0's V2, V3, V6, V7, V8, V13, V14 and V16, as
 * `id:level` (ids and levels only; the texts are the standard's, in its repository).
 */
const required = `
2.1.1:1 2.1.2:2 2.1.3:2 2.2.1:1 2.2.2:1 2.2.3:2 2.3.1:1 2.3.2:2 2.3.3:2 2.3.4:2 2.4.1:2
3.2.1:1 3.2.2:1 3.3.1:1 3.3.2:2 3.3.3:2 3.3.4:2 3.4.1:1 3.4.2:1 3.4.3:2 3.4.4:2 3.4.5:2 3.4.6:2
3.5.1:1 3.5.2:1 3.5.3:1 3.5.4:2 3.5.5:2 3.7.1:2 3.7.2:2
6.1.1:1 6.1.2:2 6.1.3:2 6.2.1:1 6.2.2:1 6.2.3:1 6.2.4:1 6.2.5:1 6.2.6:1 6.2.7:1 6.2.8:1 6.2.9:2
6.2.10:2 6.2.11:2 6.2.12:2 6.3.1:1 6.3.2:1 6.3.3:2 6.3.4:2 6.4.1:1 6.4.2:1 6.4.3:2 6.4.4:2
6.5.1:2 6.5.2:2 6.5.3:2 6.5.4:2 6.5.5:2 6.6.1:2 6.6.2:2 6.6.3:2 6.8.1:2 6.8.2:2 6.8.3:2 6.8.4:2
7.1.1:2 7.1.2:2 7.1.3:2 7.2.1:1 7.2.2:1 7.2.3:1 7.2.4:1 7.3.1:2 7.3.2:2 7.4.1:1 7.4.2:1 7.4.3:2
7.4.4:2 7.4.5:2 7.5.1:2 7.5.2:2 7.6.1:2 7.6.2:2
8.1.1:1 8.1.2:2 8.2.1:1 8.2.2:1 8.2.3:2 8.3.1:1 8.4.1:2
13.1.1:2 13.2.1:2 13.2.2:2 13.2.3:2 13.2.4:2 13.2.5:2 13.3.1:2 13.3.2:2 13.4.1:1 13.4.2:2
13.4.3:2 13.4.4:2 13.4.5:2
14.1.1:2 14.1.2:2 14.2.1:1 14.2.2:2 14.2.3:2 14.2.4:2 14.3.1:1 14.3.2:2 14.3.3:2
16.1.1:2 16.2.1:2 16.2.2:2 16.2.3:2 16.2.4:2 16.2.5:2 16.3.1:2 16.3.2:2 16.3.3:2 16.3.4:2
16.4.1:2 16.4.2:2 16.4.3:2 16.5.1:2 16.5.2:2 16.5.3:2`
  .trim()
  .split(/\s+/)
  .map((entry) => entry.split(':') as [string, string]);

/** The table rows of the document, as `[first cell, …]`. */
const rows = doc
  .split('\n')
  .filter((line) => /^\| v5\.0\.0-|^\| beyond L2: /.test(line))
  .map((line) => line.split(' | '));

/** Every cited test: a code span `test/… › title`, with any describe titles between. */
const citations = [...doc.matchAll(/`(test\/[^`]+?) › ([^`]+)`/g)].map((match) => ({
  file: match[1] as string,
  titles: (match[2] as string).split(' › '),
}));

/** A test file's text with escaped quotes undone, so a title reads as it is shown. */
function source(file: string): string {
  return readFileSync(join(root, file), 'utf8').replace(/\\(['"`])/g, '$1');
}

describe('SECURITY.md', () => {
  it('has one row for each level-1 and level-2 requirement of its chapters, at the standard’s level', () => {
    const listed = rows
      .map(([first]) => /^\| v5\.0\.0-([\d.]+) \[L(\d)\]$/.exec(first ?? ''))
      .filter((match) => match !== null)
      .map((match) => [match[1], match[2]]);
    expect(listed).toEqual(required);
  });

  it('cites only test files that exist, under titles those files hold', () => {
    expect(citations.length).toBeGreaterThan(100);
    const missing = citations.filter(
      ({ file, titles }) =>
        !existsSync(join(root, file)) || !titles.every((title) => source(file).includes(title)),
    );
    expect(missing).toEqual([]);
  });

  it('gives every row a claim and a test, a doc, an N/A or a gap', () => {
    for (const cells of rows) {
      const [, claim, shownBy] = cells;
      expect(claim?.trim().length, cells[0]).toBeGreaterThan(10);
      expect(shownBy, cells[0]).toMatch(/`test\/|^doc: |^N\/A: |^gap: |^TODO\(lead\)/);
    }
  });

  it('leaves no cell to fill: no TODO( remains', () => {
    expect(doc.match(/.*TODO\(.*/g) ?? []).toEqual([]);
  });
});

/**
 * `npm run visualize` — writes the session machine's diagrams to visualize/out/:
 *   session.dot, session.mmd, session.svg   committed; CI fails when they drift from the machine
 *   index.html                              the explorer (not committed)
 * Options:
 *   --check        write nothing; exit 1 if a committed diagram differs from the machine
 *   --screenshots  also capture each reachable page in ja and en into out/screenshots/
 *                  (starts the real app; see screenshots.ts) and show them in the explorer
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sessionMachine } from '../machines/session.ts';
import type { Screenshot } from './explorer.ts';
import { explorerPage, generateDiagrams, outDir } from './generate.ts';

export const screenshotDir = join(outDir, 'screenshots');

/** Screenshots already taken, by state id: files named `<state id>.<lang>.png`. */
async function screenshotsOnDisk(): Promise<Map<string, Screenshot[]>> {
  const found = new Map<string, Screenshot[]>();
  if (!existsSync(screenshotDir)) return found;
  for (const file of (await readdir(screenshotDir)).sort()) {
    const match = /^(.+)\.([a-z]{2})\.png$/.exec(file);
    if (!match) continue;
    const [, id, lang] = match as unknown as [string, string, string];
    found.set(id, [...(found.get(id) ?? []), { lang, src: `screenshots/${file}` }]);
  }
  // Japanese first, as the portal opens in it.
  for (const shots of found.values()) shots.sort((a, b) => Number(b.lang === 'ja') - Number(a.lang === 'ja'));
  return found;
}

async function main(args: string[]): Promise<number> {
  const diagrams = await generateDiagrams(sessionMachine);
  if (args.includes('--check')) {
    const drifted: string[] = [];
    for (const [name, content] of diagrams.files) {
      const path = join(outDir, name);
      const committed = existsSync(path) ? await readFile(path, 'utf8') : undefined;
      if (committed !== content) drifted.push(name);
    }
    if (drifted.length > 0) {
      console.error(`visualize: ${drifted.join(', ')} differ from the machine; run \`npm run visualize\``);
      return 1;
    }
    console.log('visualize: diagrams match the machine');
    return 0;
  }

  await mkdir(outDir, { recursive: true });
  for (const [name, content] of diagrams.files) await writeFile(join(outDir, name), content);
  if (args.includes('--screenshots')) {
    const { captureScreenshots } = await import('./screenshots.ts');
    for (const line of await captureScreenshots(screenshotDir)) console.log(line);
  }
  await writeFile(join(outDir, 'index.html'), explorerPage(diagrams, await screenshotsOnDisk()));
  console.log(`visualize: wrote ${[...diagrams.files.keys(), 'index.html'].join(', ')} to visualize/out/`);
  return 0;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

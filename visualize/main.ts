/**
 * `npm run visualize` — writes the session machine's diagrams to visualize/out/:
 *   session.dot, session.mmd, session.svg   committed; CI fails when they drift from the machine
 *   index.html                              the explorer (not committed), with a screenshot of each
 *                                           page state in ja and en (out/screenshots/) when Chromium
 *                                           is there: the real service is started and walked (see
 *                                           screenshots.ts); without Chromium the explorer says so
 * Options:
 *   --check           write nothing; exit 1 if a committed diagram differs from the machine
 *   --no-screenshots  take none (the explorer shows those already on disk)
 *   --since 7d     also lay the traffic recorded in that period (`30m`, `12h`, `7d`) over the
 *                  diagram: traffic.dot, traffic.svg (not committed). Reads the PostgreSQL at
 *                  DATABASE_URL, the same query as GET /flow/traffic.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sessionMachine } from '../machines/session.ts';
import { createPool } from '../src/db/pool.ts';
import { toDot } from '../src/diagram/dot.ts';
import type { MachineModel } from '../src/diagram/model.ts';
import { countTraffic, trafficOverlay } from '../src/diagram/traffic.ts';
import { trafficSince } from '../src/ops/flow-traffic.ts';
import { sinceOf } from '../src/ops/live-flow.ts';
import { chromiumPath } from '../test/support/e2e-settings.ts';
import { runCommand } from './command.ts';
import type { Screenshot } from './explorer.ts';
import { explorerPage, generateDiagrams, outDir, renderSvg } from './generate.ts';

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

/** `--since 7d` or `--since=7d`. */
function optionValue(args: string[], name: string): string | undefined {
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  if (inline) return inline.slice(name.length + 1);
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? '') : undefined;
}

/** traffic.dot and traffic.svg: the diagram with the moves recorded since `period` ago. */
async function writeTraffic(model: MachineModel, period: string): Promise<string[]> {
  if (!/^\d+[dhm]$/.test(period))
    throw new Error(`--since takes a period like 30m, 12h or 7d, not "${period}"`);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('--since reads the recorded traffic from PostgreSQL: set DATABASE_URL');
  const since = sinceOf(period);
  const pool = createPool(databaseUrl, 1);
  const traffic = await trafficSince(pool, since).finally(() => pool.end());
  const counts = countTraffic(model, traffic);
  const dot = toDot(model, trafficOverlay(model, counts, since));
  await writeFile(join(outDir, 'traffic.dot'), dot);
  await writeFile(join(outDir, 'traffic.svg'), await renderSvg(dot));
  const moves = traffic.edges.reduce((sum, row) => sum + row.count, 0);
  const lines = [
    `visualize: ${moves} moves since ${since.toISOString()} (${counts.unmatched} not on the diagram)`,
  ];
  for (const [id, state] of counts.states) {
    const endings = state.endings.map((e) => `${e.ending} ${e.sessions} (${Math.round(e.share * 100)}%)`);
    lines.push(`  ${model.byId.get(id)?.path || '(unknown state)'}: ${endings.join(', ')}`);
  }
  return [...lines, 'visualize: wrote traffic.dot, traffic.svg to visualize/out/'];
}

/** Takes the screenshots; answers why there are none, when there are none. */
async function takeScreenshots(): Promise<string | undefined> {
  if (!existsSync(chromiumPath)) {
    return `no screenshots: Chromium is not installed at ${chromiumPath} (apt-get install -y chromium fonts-ipafont-gothic)`;
  }
  try {
    const { captureScreenshots } = await import('./screenshots.ts');
    for (const line of await captureScreenshots(screenshotDir)) console.log(`visualize: ${line}`);
    return undefined;
  } catch (error) {
    return `no screenshots: the pages could not be shown (${error instanceof Error ? error.message : String(error)})`;
  }
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
  const screenshotNote = args.includes('--no-screenshots') ? undefined : await takeScreenshots();
  if (screenshotNote) console.log(`visualize: ${screenshotNote}`);
  const options = { screenshots: await screenshotsOnDisk(), screenshotNote };
  await writeFile(join(outDir, 'index.html'), explorerPage(diagrams, options));
  console.log(`visualize: wrote ${[...diagrams.files.keys(), 'index.html'].join(', ')} to visualize/out/`);
  const period = optionValue(args, '--since');
  if (period !== undefined) for (const line of await writeTraffic(diagrams.model, period)) console.log(line);
  return 0;
}

if (import.meta.main) runCommand(main);

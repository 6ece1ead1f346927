// Builds the dashboard into web/dist when its sources are newer than the last build, so `npm start`
// (and the browser tests) never serve a stale app and never wait for a build they do not need.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const WEB = path.dirname(fileURLToPath(import.meta.url));
const STAMP = path.join(WEB, 'dist', '.built');
const SOURCES = ['src', 'index.html', 'vite.config.ts', '../package-lock.json'];

function newest(file: string): number {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((entry) => newest(path.join(file, entry))));
}

/** builds unless web/dist is newer than every source; answers whether it built */
export async function buildWeb(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  const sourcesChanged = Math.max(...SOURCES.map((s) => newest(path.join(WEB, s))));
  if (!options.force && newest(STAMP) > sourcesChanged) return false;
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info' });
  writeFileSync(STAMP, new Date().toISOString());
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildWeb({ force: process.argv.includes('--force') });
  if (!built) console.error('web/dist is up to date');
}

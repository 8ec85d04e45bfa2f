#!/usr/bin/env node
// Runs the command line from a bundle of the TypeScript sources, compiled once (about half a
// second, with esbuild) and kept in node_modules/.cache/dateline/ under the sources' stamp:
// compiling every module at every start, as tsx does, made each command take about 3 s. A bundle
// is rebuilt only when a source file changes; without esbuild the sources run through tsx.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = path.join(root, 'src');
const cache = path.join(root, 'node_modules', '.cache', 'dateline');

/** The newest modification time and the number of the sources: a new stamp after any edit. */
function sourceStamp() {
  let newest = 0;
  let count = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
        count += 1;
      }
    }
  };
  walk(sources);
  return `${Math.floor(newest)}-${count}`;
}

/** The bundle's entry for the sources as they are now, built if there is none yet. */
async function compiledEntry() {
  const target = path.join(cache, sourceStamp());
  const entry = path.join(target, 'cli.js');
  if (fs.existsSync(entry)) return entry;
  const { build } = await import('esbuild');
  fs.mkdirSync(cache, { recursive: true });
  // Built aside, then renamed: a command started meanwhile never sees half a bundle.
  const staging = fs.mkdtempSync(path.join(cache, 'building-'));
  await build({
    entryPoints: { cli: path.join(sources, 'cli.ts') },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  try {
    fs.renameSync(staging, target);
  } catch {
    // Another command built the same sources first.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  for (const old of fs.readdirSync(cache)) {
    if (old !== path.basename(target) && !old.startsWith('building-'))
      fs.rmSync(path.join(cache, old), { recursive: true, force: true });
  }
  return entry;
}

async function loadCli() {
  try {
    const entry = await compiledEntry();
    process.setSourceMapsEnabled(true);
    return await import(pathToFileURL(entry).href);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('esbuild')) throw error;
    const { register } = await import('tsx/esm/api');
    register();
    return import('../src/cli.ts');
  }
}

const { main } = await loadCli();
const code = await main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;

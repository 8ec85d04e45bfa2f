// Where the project's own files are (data/, the site's assets): found by walking up from this
// module to the package's manifest, so that the TypeScript sources and the compiled bundle the
// command line runs (node_modules/.cache/dateline/) find the same files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'dateline'
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of dateline above ${start}`);
  }
}

export const PROJECT_ROOT = findProjectRoot();

/** @example projectPath('data', 'taxonomy') // '/srv/dateline/data/taxonomy' */
export const projectPath = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);

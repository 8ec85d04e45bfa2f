// The stylesheet, the one small script and the icon, read once and served under content-hashed names
// so that browsers and CDNs may cache them for a year.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { projectPath } from '../paths.ts';

export interface Asset {
  readonly path: string;
  readonly body: Buffer;
  readonly contentType: string;
}

export interface Assets {
  readonly stylesheet: Asset;
  readonly script: Asset;
  readonly icon: Asset;
  byPath(path: string): Asset | undefined;
}

function loadAsset(file: string, name: string, extension: string, contentType: string): Asset {
  const body = fs.readFileSync(projectPath('src', 'site', 'assets', file));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/assets/${name}.${hash}.${extension}`, body, contentType };
}

export function loadAssets(): Assets {
  const stylesheet = loadAsset('site.css', 'site', 'css', 'text/css; charset=utf-8');
  const script = loadAsset('menu.js', 'menu', 'js', 'text/javascript; charset=utf-8');
  const icon = loadAsset('icon.svg', 'icon', 'svg', 'image/svg+xml');
  const byPath = new Map([stylesheet, script, icon].map((asset) => [asset.path, asset]));
  return { stylesheet, script, icon, byPath: (path) => byPath.get(path) };
}

// What every view needs, assembled once per application: taxonomies, assets, cached chrome.

import type { DocumentBitmapIndex } from '../listing/bitmap-index.ts';
import { type CountCache, createCountCache } from '../listing/count-cache.ts';
import type { Db } from '../store/store.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import type { Html } from '../text/html.ts';
import type { Assets } from './assets.ts';
import { renderChrome } from './layout.ts';
import { renderMenu } from './menu.ts';

export interface SiteContext {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly assets: Assets;
  readonly baseUrl: string;
  /** The current moment; injectable so that tests can travel in time. */
  now(): Date;
  /** Recent totals and facet counts per filter (absent: always counted afresh). */
  readonly counts: CountCache | undefined;
  /** The in-memory bitmap index, once loaded (until then listings use SQL alone). */
  index(): DocumentBitmapIndex | undefined;
  /** Hands over a loaded index. */
  useIndex(index: DocumentBitmapIndex): void;
  /** Header (with the menu) and footer, rendered once per calendar year. */
  chrome(): { header: Html; footer: Html };
}

export interface SiteContextOptions {
  db: Db;
  catalog: Catalog;
  assets: Assets;
  baseUrl: string;
  now?: () => Date;
  /** How long totals and facet counts may be reused; 0 turns the cache off. */
  countCacheTtlMs?: number;
}

export function createSiteContext({
  db,
  catalog,
  assets,
  baseUrl,
  now = () => new Date(),
  countCacheTtlMs = 30_000,
}: SiteContextOptions): SiteContext {
  let bitmapIndex: DocumentBitmapIndex | undefined;
  let cachedYear = -1;
  let cached: { header: Html; footer: Html } | undefined;
  return {
    db,
    catalog,
    assets,
    baseUrl,
    now,
    counts: countCacheTtlMs > 0 ? createCountCache({ ttlMs: countCacheTtlMs }) : undefined,
    index: () => bitmapIndex,
    useIndex(index) {
      bitmapIndex = index;
    },
    chrome() {
      const moment = now();
      // The chairpersonship marker in the menu changes with the year.
      if (!cached || moment.getUTCFullYear() !== cachedYear) {
        cachedYear = moment.getUTCFullYear();
        cached = renderChrome(renderMenu(catalog, moment));
      }
      return cached;
    },
  };
}

// What the site's views need beyond the application context: assets and the cached chrome.
import type { AppContext } from '../context.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import type { Assets } from './assets.ts';
import { type Chrome, renderChrome } from './layout.ts';
import { renderMenu } from './menu.ts';

export interface SiteContext extends AppContext {
  readonly assets: Assets;
  /** The clock's current moment. */
  now(): Date;
  /** Header (with the menu) and footer, rendered once per calendar year and catalogue. */
  chrome(): Chrome;
}

export function createSiteContext(app: AppContext, assets: Assets): SiteContext {
  let cachedFor: { year: number; catalog: Catalog } | null = null;
  let cached: Chrome | undefined;
  return {
    get db() {
      return app.db;
    },
    get catalog() {
      return app.catalog;
    },
    baseUrl: app.baseUrl,
    clock: app.clock,
    search: app.search,
    listings: app.listings,
    assets,
    now: () => app.clock(),
    chrome() {
      const year = app.clock().getUTCFullYear();
      const catalog = app.catalog;
      // The chairpersonship marker in the menu changes with the year; the menu with the taxonomies.
      if (!cached || cachedFor?.year !== year || cachedFor.catalog !== catalog) {
        cachedFor = { year, catalog };
        cached = renderChrome(renderMenu(catalog, app.clock()));
      }
      return cached;
    },
  };
}

// The application context: what every renderer (site, feeds, API, SEO) shares, made once by
// buildApp. Renderers read documents through it and never query on their own.
import type { Clock } from './clock.ts';
import type { ListingService } from './listing/service.ts';
import type { SearchProvider } from './search/provider.ts';
import type { Db } from './store/store.ts';
import type { Catalog } from './taxonomy/catalog.ts';

export interface AppContext {
  readonly db: Db;
  /** The taxonomies as they are now (reloaded when the change log says they changed). */
  readonly catalog: Catalog;
  /** Public origin, for canonical links, feeds and the API. */
  readonly baseUrl: string;
  /** The one clock; tests travel in time with it. */
  readonly clock: Clock;
  readonly search: SearchProvider;
  readonly listings: ListingService;
}

// The home page: latest press releases and news, the chairpersonship, entry points to the work.
import type { DocumentSummary } from '../../documents/reader.ts';
import { countryPath, fieldPath, structurePath, withParams } from '../../listing/urls.ts';
import { ORGANISATION_NAME, ORGANISATION_SHORT_NAME } from '../../taxonomy/organisation.ts';
import { html, pieces } from '../../text/html.ts';
import type { SiteContext } from '../context.ts';
import type { JsonLdNode } from '../json-ld.ts';
import { type PageBytes, renderPageBytes } from '../layout.ts';
import { organizationJsonLd, websiteJsonLd } from '../structured-data.ts';
import { documentList } from './components.ts';

export interface HomeContent {
  pressReleases: DocumentSummary[];
  news: DocumentSummary[];
  events: DocumentSummary[];
}

/** The organisation and the website as schema.org describes them: one frozen list per site, serialised once. */
const homeNodes = new Map<string, readonly JsonLdNode[]>();
function homeJsonLd(baseUrl: string, iconPath: string): readonly JsonLdNode[] {
  const key = `${baseUrl} ${iconPath}`;
  let nodes = homeNodes.get(key);
  if (!nodes) {
    nodes = Object.freeze([organizationJsonLd(baseUrl, iconPath), websiteJsonLd(baseUrl)]);
    homeNodes.set(key, nodes);
  }
  return nodes;
}

/**
 * The home page, with the organisation's schema.org description.
 * @example renderHomePage(context, { pressReleases, news, events })
 */
export function renderHomePage(context: SiteContext, content: HomeContent): PageBytes {
  const { catalog } = context;
  const chair = catalog.chairpersonshipAt(context.now());
  const main = pieces`<h1 class="visually-hidden">${ORGANISATION_NAME}</h1>
<section class="hero" aria-labelledby="hero-heading">
<h2 id="hero-heading" class="hero__title">The world's largest regional security organization</h2>
<p class="hero__text">Fifty-seven participating States in Europe, Central Asia and North America work together on conflict prevention, crisis management and post-conflict rehabilitation.</p>
${
  chair
    ? html`<p class="hero__chair">${chair.year} Chairpersonship: ${
        chair.country
          ? html`<a href="${countryPath(chair.country.slug)}">${chair.country_name}</a>`
          : chair.country_name
      } · <a href="${structurePath('chairpersonship')}">About the Chairpersonship</a></p>`
    : ''
}
</section>
<div class="home-grid">
<section class="home-grid__main" aria-labelledby="press-heading">
<h2 id="press-heading">Latest press releases</h2>
${documentList(content.pressReleases, catalog)}
<p class="more"><a href="/press-releases">All press releases</a></p>
</section>
<div class="home-grid__side">
<section aria-labelledby="news-heading">
<h2 id="news-heading">News</h2>
${documentList(content.news, catalog)}
<p class="more"><a href="/news">All news</a></p>
</section>
<section aria-labelledby="events-heading">
<h2 id="events-heading">Upcoming events</h2>
${content.events.length > 0 ? documentList(content.events, catalog) : html`<p class="empty">No events are scheduled at the moment.</p>`}
<p class="more"><a href="${withParams('/events', { from: [context.now().toISOString().slice(0, 10)], sort: ['oldest'] })}">All upcoming events</a> · <a href="/events">All events</a></p>
</section>
</div>
</div>
<section class="entry-points" aria-labelledby="work-heading">
<h2 id="work-heading">Our work</h2>
<ul class="tile-list">${catalog.fields.map((field) => html`<li><a href="${fieldPath(field.slug)}">${field.name}</a></li>`)}</ul>
</section>`;
  return renderPageBytes(context, {
    title: ORGANISATION_SHORT_NAME,
    description: `${ORGANISATION_NAME}: press releases, news, statements, events and documents.`,
    canonicalPath: '/',
    social: { type: 'website' },
    jsonLd: homeJsonLd(context.baseUrl, context.assets.icon.path),
    main,
  });
}

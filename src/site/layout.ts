// The page shell: head, skip link, header with the menu, breadcrumbs, main, footer.

import { MAX_QUERY_LENGTH } from '../search/query.ts';
import { HEADQUARTERS_LINE, ORGANISATION_NAME, ORGANISATION_SHORT_NAME } from '../taxonomy/organisation.ts';
import {
  type EncodedHtml,
  encoded,
  type Html,
  type HtmlPieces,
  html,
  joinPieces,
  pieces,
  piecesBytes,
} from '../text/html.ts';
import { utf8Bytes } from '../text/utf8.ts';
import type { SiteContext } from './context.ts';
import { renderJsonLdScripts, renderSocialHead, type SocialMeta } from './head.ts';
import type { JsonLdNode } from './json-ld.ts';

export interface Breadcrumb {
  label: string;
  href?: string;
}

export interface PageOptions {
  title: string;
  description?: string;
  /** Path of the page's canonical address, e.g. `/press-releases`; made absolute with the base URL. */
  canonicalPath?: string;
  /** How the page is shared (Open Graph, Twitter card); pages with a canonical address are `website` by default. */
  social?: SocialMeta;
  /** schema.org descriptions, one `<script type="application/ld+json">` each. */
  jsonLd?: readonly JsonLdNode[];
  breadcrumbs?: Breadcrumb[];
  /** The page's own content; in pieces, its kept fragments are sent as their bytes. */
  main: Html | HtmlPieces;
  /** Extra elements for <head>. */
  head?: Html;
  lang?: string;
  /**
   * Whether the header carries the site search box (default: yes). The search page leaves it out:
   * its own form already holds the query, with the filters and options beside it. Two boxes (one
   * empty, or one that silently drops the filters) would confuse; GOV.UK's search page does the
   * same (alphagov/finder-frontend#918).
   */
  headerSearch?: boolean;
}

function renderBreadcrumbs(crumbs: Breadcrumb[]): Html {
  return html`<nav class="breadcrumbs wrap" aria-label="Breadcrumb"><ol>${crumbs.map((crumb, index) =>
    index === crumbs.length - 1 || !crumb.href
      ? html`<li><span aria-current="page">${crumb.label}</span></li>`
      : html`<li><a href="${crumb.href}">${crumb.label}</a></li>`,
  )}</ol></nav>`;
}

const NEWSROOM_LINKS = [
  ['Press releases', '/press-releases'],
  ['News', '/news'],
  ['Statements', '/statements'],
  ['Events', '/events'],
  ['Publications', '/publications'],
  ['All documents', '/documents'],
] as const;

/** The path of the site-wide search; the site has no language-prefixed routes, so one for all pages. */
const SEARCH_PATH = '/search';

/**
 * The site-wide search box: a plain GET form, so it works without JavaScript. `role="search"` on
 * the form rather than the `<search>` element: vnu and axe-core accept both, but the role reaches
 * browsers and screen readers that predate `<search>` (2023), and the listings' own forms use it.
 * Named "Site-wide" so that it and a listing's own search landmark can be told apart.
 */
const SITE_SEARCH = html`<form class="site-search" method="get" action="${SEARCH_PATH}" role="search" aria-label="Site-wide">
<label class="visually-hidden" for="site-search-q">Search the ${ORGANISATION_SHORT_NAME} website</label>
<input class="site-search__input" type="search" id="site-search-q" name="q" maxlength="${MAX_QUERY_LENGTH}">
<button class="site-search__button" type="submit">Search</button>
</form>`;

function renderHeader(menu: Html, search: Html | ''): Html {
  return html`<header class="site-header">
<div class="site-header__top wrap">
<a class="brand" href="/"><span class="brand__mark">${ORGANISATION_SHORT_NAME}</span><span class="brand__name">${ORGANISATION_NAME}</span></a>
<nav class="newsroom-nav" aria-label="Newsroom"><ul>${NEWSROOM_LINKS.map(
    ([label, href]) => html`<li><a href="${href}">${label}</a></li>`,
  )}</ul></nav>
${search}</div>
<div class="site-header__menu"><div class="wrap">${menu}</div></div>
</header>`;
}

/** Markup every page repeats, encoded once, not in each response. */
export interface Chrome {
  header: EncodedHtml;
  /** The same header without the search box, for the search page. */
  headerWithoutSearch: EncodedHtml;
  footer: EncodedHtml;
}

/** The header and footer do not depend on the page: built once, reused as raw markup. */
export function renderChrome(menu: Html): Chrome {
  const header = renderHeader(menu, SITE_SEARCH);
  const headerWithoutSearch = renderHeader(menu, '');
  const footer = html`<footer class="site-footer">
<div class="wrap site-footer__grid">
<div><p class="site-footer__name">${ORGANISATION_NAME}</p><p>${HEADQUARTERS_LINE}</p></div>
<nav aria-label="Footer"><ul>
<li><a href="/about-us">About us</a></li>
<li><a href="/structures">Organizational structure</a></li>
<li><a href="/countries">Countries</a></li>
<li><a href="/fields-of-work">Fields of work</a></li>
<li><a href="/documents">All documents</a></li>
</ul></nav>
</div>
</footer>`;
  return { header: encoded(header), headerWithoutSearch: encoded(headerWithoutSearch), footer: encoded(footer) };
}

/** A page around its chrome: what comes before the header, the header, what comes between, the footer. */
interface PageParts {
  head: Html;
  header: EncodedHtml;
  body: HtmlPieces;
  footer: EncodedHtml;
}

const END = '\n</body>\n</html>';
const END_BYTES = Buffer.from(END);

function pageParts(context: SiteContext, options: PageOptions): PageParts {
  const chrome = context.chrome();
  const { footer } = chrome;
  const header = options.headerSearch === false ? chrome.headerWithoutSearch : chrome.header;
  const canonical = options.canonicalPath ? `${context.baseUrl}${options.canonicalPath}` : undefined;
  const ownTitle = options.title === ORGANISATION_SHORT_NAME ? ORGANISATION_NAME : options.title;
  const title =
    options.title === ORGANISATION_SHORT_NAME ? ORGANISATION_NAME : `${options.title} | ${ORGANISATION_SHORT_NAME}`;
  const lang = options.lang ?? 'en';
  const head = html`<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ''}
${canonical ? html`<link rel="canonical" href="${canonical}">` : ''}
${
  canonical
    ? renderSocialHead({
        title: ownTitle,
        description: options.description,
        url: canonical,
        siteName: ORGANISATION_NAME,
        baseUrl: context.baseUrl,
        lang,
        social: options.social,
      })
    : ''
}${options.jsonLd ? renderJsonLdScripts(options.jsonLd) : ''}<link rel="stylesheet" href="${context.assets.stylesheet.path}">
<link rel="icon" href="${context.assets.icon.path}" type="image/svg+xml">
<script src="${context.assets.script.path}" defer></script>
${options.head ?? ''}
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
`;
  const body = pieces`
${options.breadcrumbs && options.breadcrumbs.length > 0 ? renderBreadcrumbs(options.breadcrumbs) : ''}
<main id="main" class="wrap" tabindex="-1">
${options.main}
</main>
`;
  return { head, header, body, footer };
}

/**
 * A whole HTML document. Pages with a canonical address also get sharing tags (Open Graph, Twitter card).
 * @example renderPage(context, { title: 'News', canonicalPath: '/news', main: html`<h1>News</h1>` })
 */
export function renderPage(context: SiteContext, options: PageOptions): string {
  const { head, header, body, footer } = pageParts(context, options);
  return head.value + header.value + joinPieces(body) + footer.value + END;
}

/** A page as the UTF-8 bytes a response sends, in pieces (joined into one buffer when sent). */
export type PageBytes = readonly Buffer[];

/**
 * The same document as `renderPage`, as the bytes a response sends: the header, the footer and
 * the kept fragments of the content are their bytes, encoded once; only the rest of the page's
 * markup is encoded.
 */
export function renderPageBytes(context: SiteContext, options: PageOptions): PageBytes {
  const { head, header, body, footer } = pageParts(context, options);
  return [utf8Bytes(head.value), header.bytes, ...piecesBytes(body), footer.bytes, END_BYTES];
}

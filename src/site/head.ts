// What a page's <head> tells search engines and social networks: Open Graph, Twitter card, JSON-LD.
import { type Html, html, raw } from '../text/html.ts';
import { KeptFor } from '../text/kept.ts';
import { type JsonLdNode, serializeJsonLd } from './json-ld.ts';

/** How a page is shared: the Open Graph type and, for articles, their dates and section. */
export interface SocialMeta {
  type: 'website' | 'article';
  /** Absolute URL or site path of an image (raster, for the networks that show one). */
  image?: string;
  /** ISO timestamp, for `article:published_time`. */
  publishedTime?: string;
  /** ISO timestamp, for `article:modified_time`. */
  modifiedTime?: string;
  section?: string;
  tags?: readonly string[];
}

export interface SocialHeadOptions {
  /** The page's own title, without the site name. */
  title: string;
  description?: string;
  /** Absolute canonical URL. */
  url: string;
  siteName: string;
  baseUrl: string;
  /** BCP 47 language of the page, e.g. `en`. */
  lang: string;
  social?: SocialMeta;
}

/** Open Graph wants language_TERRITORY; the organisation writes British English. */
const OG_LOCALES: Readonly<Record<string, string>> = {
  en: 'en_GB',
  fr: 'fr_FR',
  de: 'de_DE',
  ru: 'ru_RU',
  it: 'it_IT',
  es: 'es_ES',
};

/**
 * The Open Graph locale of a language.
 * @example ogLocale('en') // 'en_GB'; ogLocale('pt-BR') // 'pt_BR'
 */
export function ogLocale(lang: string): string {
  const [language = 'en', region] = lang.split('-');
  if (region) return `${language.toLowerCase()}_${region.toUpperCase()}`;
  return OG_LOCALES[language.toLowerCase()] ?? language.toLowerCase();
}

/**
 * Open Graph and Twitter card `<meta>` elements; escaped like any other attribute value.
 * @example renderSocialHead({ title: 'News', url: 'https://www.osce.org/news', siteName: 'OSCE', baseUrl, lang: 'en' })
 */
export function renderSocialHead(options: SocialHeadOptions): Html {
  const social = options.social ?? { type: 'website' };
  const image = social.image?.startsWith('/') ? `${options.baseUrl}${social.image}` : social.image;
  const isArticle = social.type === 'article';
  return html`<meta property="og:type" content="${social.type}">
<meta property="og:title" content="${options.title}">
${options.description ? html`<meta property="og:description" content="${options.description}">\n` : ''}<meta property="og:url" content="${options.url}">
<meta property="og:site_name" content="${options.siteName}">
<meta property="og:locale" content="${ogLocale(options.lang)}">
${image ? html`<meta property="og:image" content="${image}">\n` : ''}${
  isArticle && social.publishedTime
    ? html`<meta property="article:published_time" content="${social.publishedTime}">\n`
    : ''
}${isArticle && social.modifiedTime ? html`<meta property="article:modified_time" content="${social.modifiedTime}">\n` : ''}${
  isArticle && social.section ? html`<meta property="article:section" content="${social.section}">\n` : ''
}${isArticle ? (social.tags ?? []).map((tag) => html`<meta property="article:tag" content="${tag}">\n`) : ''}<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${options.title}">
${options.description ? html`<meta name="twitter:description" content="${options.description}">\n` : ''}${
  image ? html`<meta name="twitter:image" content="${image}">\n` : ''
}`;
}

/**
 * One `<script type="application/ld+json">` data block per node. Data blocks are not executed,
 * so the site's `script-src 'self'` policy does not apply to them.
 * @example renderJsonLdScripts([{ '@context': 'https://schema.org', '@type': 'Event', name: 'Summit' }])
 */
export function renderJsonLdScripts(nodes: readonly JsonLdNode[]): Html {
  // serializeJsonLd leaves no `<` in the text, so it cannot close the element: safe as raw markup.
  return keptScripts.get(
    nodes,
    [],
    () =>
      html`${nodes.map((node) => html`<script type="application/ld+json">${raw(serializeJsonLd(node))}</script>\n`)}`,
  );
}

/**
 * The scripts of frozen lists of nodes (the home page's, a held document's), serialised once:
 * serialising took a third of a document page's rendering.
 */
const keptScripts = new KeptFor<readonly JsonLdNode[], Html>();

// One document: title, dateline metadata as quiet links, body, related documents.
import { kindInfo } from '../../documents/kinds.ts';
import type { DocumentRecord, DocumentSummary, DocumentTerms } from '../../documents/reader.ts';
import {
  countryPath,
  documentPath,
  fieldPath,
  kindListingPath,
  meetingPath,
  yearListingPath,
} from '../../listing/urls.ts';
import { sourceLabel } from '../../taxonomy/organisation.ts';
import { encoded, type Html, html, pieces, raw } from '../../text/html.ts';
import { KeptFor } from '../../text/kept.ts';
import type { SiteContext } from '../context.ts';
import { formatDate, formatEventTime, isoDay, localIsoMoment } from '../format.ts';
import { type PageBytes, renderPageBytes } from '../layout.ts';
import { type DocumentMetadata, documentMetadata } from '../structured-data.ts';
import { documentList, structureHref, termLinks } from './components.ts';

/** A date, and for an event with a time zone its local time: "15 December 2026, 09:00 (UTC+01:00)". */
function moment(iso: string, timeZone: string | null) {
  const local = timeZone ? localIsoMoment(iso, timeZone) : iso;
  return html`<time datetime="${timeZone ? local : isoDay(iso)}">${formatDate(local)}${timeZone ? `, ${formatEventTime(iso, timeZone)}` : ''}</time>`;
}

/** The bodies of held documents, encoded once. */
const heldBodies = new KeptFor<DocumentRecord, Html>();

/** The stored body, sanitised when it was saved, goes in as it is; a held document's as its kept bytes. */
const bodyOf = (doc: DocumentRecord): Html => heldBodies.get(doc, [], () => encoded(raw(doc.body_html)));

/**
 * The sharing tags and JSON-LD of held documents, per catalogue (its names are in them), with
 * their list of nodes frozen so that it is serialised once too (src/site/head.ts).
 */
const heldMetadata = new KeptFor<DocumentRecord, DocumentMetadata>();

/**
 * A document's page, with its sharing tags and schema.org description in the head.
 * @example renderDocumentPage(context, doc, await documentTerms(db, doc.id), related)
 */
export function renderDocumentPage(
  context: SiteContext,
  doc: DocumentRecord,
  terms: DocumentTerms,
  related: readonly DocumentSummary[],
): PageBytes {
  const { catalog } = context;
  const info = kindInfo(doc.kind);
  const sources = doc.sourceIds.flatMap((id) => catalog.structureById(id) ?? []);
  const meeting = doc.meeting_series_id === null ? undefined : catalog.meetingById(doc.meeting_series_id);
  const fields = terms.fieldIds.flatMap((id) => {
    const field = catalog.fieldById(id);
    return field ? [{ name: field.name, href: fieldPath(field.slug) }] : [];
  });
  const countries = terms.countryIds.flatMap((id) => {
    const country = catalog.countryById(id);
    return country ? [{ name: country.name, href: countryPath(country.slug) }] : [];
  });
  const chair = catalog.chairpersonshipAt(new Date(doc.dated_at));
  const isPage = doc.kind === 'page';

  const meta = html`<dl class="doc-meta">
<div><dt>Date</dt><dd>${moment(doc.dated_at, doc.time_zone)}${doc.ends_at ? html` – ${moment(doc.ends_at, doc.time_zone)}` : ''}</dd></div>
${doc.place ? html`<div><dt>Place</dt><dd>${doc.place}</dd></div>` : ''}
${
  sources.length > 0
    ? html`<div><dt>${sources.length > 1 ? 'Sources' : 'Source'}</dt><dd>${termLinks(sources.map((node) => ({ name: sourceLabel(node), href: structureHref(node) })))}</dd></div>`
    : ''
}
${fields.length > 0 ? html`<div><dt>Fields of work</dt><dd>${termLinks(fields)}</dd></div>` : ''}
${countries.length > 0 ? html`<div><dt>Countries</dt><dd>${termLinks(countries)}</dd></div>` : ''}
${meeting ? html`<div><dt>Meeting</dt><dd><a href="${meetingPath(meeting.slug)}">${meeting.name}</a></dd></div>` : ''}
${chair ? html`<div><dt>Chairpersonship</dt><dd><a href="${yearListingPath(chair.year)}">${chair.label}</a></dd></div>` : ''}
</dl>`;

  const main = pieces`<article class="document" lang="${doc.language}">
<header class="document__header">
${isPage ? '' : html`<p class="document__kind">${info.singular}</p>`}
<h1>${doc.title}</h1>
${doc.is_demo ? html`<p class="notice notice--demo"><strong>Demo content.</strong> This document was generated to demonstrate the site; it is not an official text.</p>` : ''}
${isPage ? '' : meta}
</header>
<div class="document__body">${bodyOf(doc)}</div>
</article>
${
  related.length > 0
    ? pieces`<aside class="related" aria-labelledby="related-heading"><h2 id="related-heading">Related</h2>${documentList(related, catalog)}</aside>`
    : ''
}`;

  const canonicalPath = documentPath(doc);
  const { social, jsonLd } = heldMetadata.get(doc, [catalog, context.baseUrl], () => {
    const made = documentMetadata({
      baseUrl: context.baseUrl,
      doc,
      url: `${context.baseUrl}${canonicalPath}`,
      sources,
      fields: fields.map((field) => field.name),
      countries: countries.map((country) => country.name),
    });
    return { social: made.social, jsonLd: Object.freeze([...made.jsonLd]) };
  });

  return renderPageBytes(context, {
    title: doc.title,
    description: doc.summary.slice(0, 300),
    canonicalPath,
    social,
    jsonLd,
    lang: 'en',
    breadcrumbs: isPage
      ? [{ label: 'Home', href: '/' }, { label: doc.title }]
      : [{ label: 'Home', href: '/' }, { label: info.plural, href: kindListingPath(doc.kind) }, { label: doc.title }],
    main,
  });
}

// Index pages of the taxonomies, and the introductions of each term's own page.

import {
  COUNTRY_GROUPS,
  type CountryGroupSlug,
  countryPath,
  fieldPath,
  meetingPath,
  structurePath,
  yearListingPath,
} from '../../listing/urls.ts';
import type { Country, FieldOfWork, MeetingSeries } from '../../store/schema.ts';
import type { StructureNode } from '../../taxonomy/catalog.ts';
import { sourceLabel } from '../../taxonomy/organisation.ts';
import { type Html, html } from '../../text/html.ts';
import type { SiteContext } from '../context.ts';
import { renderPage } from '../layout.ts';

const HOME = { label: 'Home', href: '/' };

function described(items: ReadonlyArray<{ href: string; name: string; summary?: string | null }>): Html {
  return html`<ul class="term-list">${items.map(
    (item) =>
      html`<li><a class="term-list__name" href="${item.href}">${item.name}</a>${
        item.summary ? html`<p>${item.summary}</p>` : ''
      }</li>`,
  )}</ul>`;
}

export function renderFieldsIndex(context: SiteContext): string {
  const { fields } = context.catalog;
  return renderPage(context, {
    title: 'Fields of work',
    description: 'What the organization works on, from arms control to youth.',
    canonicalPath: '/fields-of-work',
    breadcrumbs: [HOME, { label: 'Fields of work' }],
    main: html`<h1>Fields of work</h1>${described(fields.map((f) => ({ href: fieldPath(f.slug), name: f.name, summary: f.summary })))}`,
  });
}

export function renderMeetingsIndex(context: SiteContext): string {
  const { meetings } = context.catalog;
  return renderPage(context, {
    title: 'Meetings and conferences',
    canonicalPath: '/meetings',
    breadcrumbs: [HOME, { label: 'Meetings and conferences' }],
    main: html`<h1>Meetings and conferences</h1>${described(meetings.map((m) => ({ href: meetingPath(m.slug), name: m.name, summary: m.summary })))}`,
  });
}

function chairMarker(context: SiteContext, country: Country): string {
  const chair = context.catalog.chairpersonshipAt(context.now());
  return chair?.country?.id === country.id ? ` – OSCE ${chair.title} ${chair.year}` : '';
}

function countryTable(context: SiteContext, countries: readonly Country[], caption: string): Html {
  return html`<table class="data-table"><caption>${caption}</caption>
<thead><tr><th scope="col">Country</th><th scope="col">ISO code</th><th scope="col">Since</th></tr></thead>
<tbody>${countries.map(
    (c) =>
      html`<tr><th scope="row"><a href="${countryPath(c.slug)}">${c.name}</a>${chairMarker(context, c)}</th><td>${c.iso_code}</td><td>${c.since_year}</td></tr>`,
  )}</tbody></table>`;
}

export function renderCountriesIndex(context: SiteContext): string {
  const groups = Object.entries(COUNTRY_GROUPS) as [CountryGroupSlug, (typeof COUNTRY_GROUPS)[CountryGroupSlug]][];
  return renderPage(context, {
    title: 'Countries',
    description: 'The participating States and the Partners for Co-operation.',
    canonicalPath: '/countries',
    breadcrumbs: [HOME, { label: 'Countries' }],
    main: html`<h1>Countries</h1>
${groups.map(([slug, group]) => {
  const members = context.catalog.countries.filter((c) => c.role === group.role);
  return html`<section class="country-group" aria-labelledby="group-${slug}">
<h2 id="group-${slug}"><a href="/countries/${slug}">${group.title}</a> <span class="count">(${members.length})</span></h2>
<ul class="column-list">${members.map((c) => html`<li><a href="${countryPath(c.slug)}">${c.name}</a>${chairMarker(context, c)}</li>`)}</ul>
</section>`;
})}`,
  });
}

export function renderCountryGroup(context: SiteContext, slug: CountryGroupSlug): string {
  const group = COUNTRY_GROUPS[slug];
  const members = context.catalog.countries.filter((c) => c.role === group.role);
  return renderPage(context, {
    title: group.title,
    canonicalPath: `/countries/${slug}`,
    breadcrumbs: [HOME, { label: 'Countries', href: '/countries' }, { label: group.title }],
    main: html`<h1>${group.title}</h1>${countryTable(context, members, `${members.length} countries`)}`,
  });
}

const ROLE_LABEL: Record<Country['role'], string> = {
  participating: 'Participating State',
  'asian-partner': 'Asian Partner for Co-operation',
  'mediterranean-partner': 'Mediterranean Partner for Co-operation',
};

export function countryIntro(context: SiteContext, country: Country): Html {
  const { catalog } = context;
  const chairYears = [...catalog.chairpersonships.values()].filter((c) => c.country?.id === country.id);
  const operations = catalog.structures.filter(
    (s) => s.country_id === country.id && s.kind.includes('field-operation'),
  );
  return html`<dl class="facts">
<div><dt>Status</dt><dd>${ROLE_LABEL[country.role]} since ${country.since_year}</dd></div>
${country.capital ? html`<div><dt>Capital</dt><dd>${country.capital}</dd></div>` : ''}
<div><dt>ISO code</dt><dd>${country.iso_code}</dd></div>
${
  chairYears.length > 0
    ? html`<div><dt>Chairpersonship</dt><dd>${chairYears.map(
        (c, i) => html`${i > 0 ? ', ' : ''}<a href="${yearListingPath(c.year)}">${c.year}</a>`,
      )}</dd></div>`
    : ''
}
${
  operations.length > 0
    ? html`<div><dt>Field operations</dt><dd>${operations.map(
        (s, i) =>
          html`${i > 0 ? ', ' : ''}<a href="${structurePath(s.slug)}">${sourceLabel(s)}</a>${s.closed_year ? ` (closed ${s.closed_year})` : ''}`,
      )}</dd></div>`
    : ''
}
</dl>`;
}

export function countryBreadcrumbs(country: Country) {
  const group = (Object.entries(COUNTRY_GROUPS) as [CountryGroupSlug, { role: string; title: string }][]).find(
    ([, g]) => g.role === country.role,
  );
  return [
    HOME,
    { label: 'Countries', href: '/countries' },
    ...(group ? [{ label: group[1].title, href: `/countries/${group[0]}` }] : []),
    { label: country.name },
  ];
}

function structureTree(nodes: readonly StructureNode[]): Html {
  return html`<ul class="tree">${nodes.map(
    (node) =>
      html`<li><a href="${structurePath(node.slug)}">${node.name}</a>${node.seat ? html` <span class="muted">${node.seat}</span>` : ''}${
        node.children.length > 0 ? structureTree(node.children) : ''
      }</li>`,
  )}</ul>`;
}

export function renderStructuresIndex(context: SiteContext): string {
  return renderPage(context, {
    title: 'Organizational structure',
    description: 'The Chairpersonship, the Secretariat, the institutions, the field operations and the other bodies.',
    canonicalPath: '/structures',
    breadcrumbs: [HOME, { label: 'Organizational structure' }],
    main: html`<h1>Organizational structure</h1>
<p class="lead">Decision-making bodies, the Secretariat, the institutions and the field operations: every structure below publishes under its own name.</p>
${structureTree(context.catalog.structureRoots)}`,
  });
}

export function structureIntro(context: SiteContext, node: StructureNode): Html {
  const { catalog } = context;
  const country = node.country_id === null ? undefined : catalog.countryById(node.country_id);
  const facts = html`<dl class="facts">
${node.seat ? html`<div><dt>Seat</dt><dd>${node.seat}</dd></div>` : ''}
${country ? html`<div><dt>Country</dt><dd><a href="${countryPath(country.slug)}">${country.name}</a>${node.territory ? ` (${node.territory})` : ''}</dd></div>` : ''}
${node.opened_year ? html`<div><dt>${node.closed_year ? 'Active' : 'Established'}</dt><dd>${node.opened_year}${node.closed_year ? `–${node.closed_year}` : ''}</dd></div>` : ''}
${node.parent ? html`<div><dt>Part of</dt><dd><a href="${structurePath(node.parent.slug)}">${node.parent.name}</a></dd></div>` : ''}
</dl>`;
  const chairs =
    node.kind === 'chairpersonship'
      ? html`<table class="data-table"><caption>Chairpersonship by year</caption>
<thead><tr><th scope="col">Year</th><th scope="col">Chair</th></tr></thead>
<tbody>${[...catalog.chairpersonships.values()]
          .reverse()
          .map(
            (c) =>
              html`<tr><th scope="row"><a href="${yearListingPath(c.year)}">${c.year}</a></th><td>${
                c.country ? html`<a href="${countryPath(c.country.slug)}">${c.country_name}</a>` : c.country_name
              }</td></tr>`,
          )}</tbody></table>`
      : '';
  return html`${node.summary ? html`<p class="lead">${node.summary}</p>` : ''}${facts}${
    node.children.length > 0
      ? html`<h2>${node.kind.endsWith('-group') ? node.name : 'Parts'}</h2>${described(
          node.children.map((child) => ({
            href: structurePath(child.slug),
            name: child.name,
            summary: [
              child.seat,
              child.opened_year ? `${child.opened_year}${child.closed_year ? `–${child.closed_year}` : ''}` : null,
            ]
              .filter(Boolean)
              .join(', '),
          })),
        )}`
      : ''
  }${chairs}`;
}

export function structureBreadcrumbs(node: StructureNode) {
  const trail: { label: string; href?: string }[] = [];
  for (let parent = node.parent; parent; parent = parent.parent) {
    trail.unshift({ label: parent.name, href: structurePath(parent.slug) });
  }
  return [HOME, { label: 'Organizational structure', href: '/structures' }, ...trail, { label: node.name }];
}

export const termIntro = (term: FieldOfWork | MeetingSeries): Html =>
  term.summary ? html`<p class="lead">${term.summary}</p>` : html``;

#!/usr/bin/env bash
# Reproduces the figures of docs/decisions/0002-view-layer.md: the same 764-element page rendered by
# the project's tagged template (src/site/html.ts), preact-render-to-string and hono/jsx.
# Installs nothing in the repository: it writes a throw-away project outside it (VIEWBENCH_DIR,
# default $TMPDIR/dateline-viewbench), installs preact, preact-render-to-string and hono there with
# `npm i --no-save`, runs it with the repository's tsx, and removes it unless VIEWBENCH_KEEP=1.
# Usage: bash bench/view-layer.sh   (ITER=3000 renders per round, 7 rounds, medians)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${VIEWBENCH_DIR:-${TMPDIR:-/tmp}/dateline-viewbench}"
case "$DIR" in "$REPO"*) echo "VIEWBENCH_DIR must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$DIR"
cleanup() { if [ "${VIEWBENCH_KEEP:-0}" != 1 ]; then rm -rf "$DIR"; fi; }
trap cleanup EXIT
cd "$DIR"

cat > package.json <<'JSON'
{ "name": "dateline-viewbench", "private": true, "type": "module" }
JSON
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "jsx": "react-jsx", "jsxImportSource": "preact", "strict": true, "allowImportingTsExtensions": true, "noEmit": true, "skipLibCheck": true } }
JSON
cat > data.ts <<'VIEWBENCH_EOF'
// One listing-like page's data, from the project's real taxonomies: menu, filter form, 20 rows, footer.
import fs from 'node:fs';
const read = (name: string) => JSON.parse(fs.readFileSync(`@REPO@/data/taxonomy/${name}.json`, 'utf8'));
export interface Link { label: string; href: string }
export interface Row { kind: string; date: string; iso: string; source: string; title: string; href: string; summary: string; demo: boolean }
export interface Option { value: string; label: string }
export interface PageData {
  title: string; description: string; canonical: string;
  menu: Array<{ id: string; label: string; groups: Array<{ heading: Link | null; links: Link[] }> }>;
  newsroom: Link[]; breadcrumbs: Link[];
  selects: Array<{ name: string; label: string; options: Option[]; selected: string }>;
  rows: Row[]; pages: Array<{ n: number; href: string; current: boolean }>; footer: Link[];
}
const fields = read('fields-of-work') as Array<{ slug: string; name: string }>;
const countries = read('countries') as Array<{ slug: string; name: string; role: string }>;
interface StructureJson { slug: string; name: string; children?: StructureJson[] }
const flatten = (nodes: StructureJson[]): StructureJson[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
const structures = flatten(read('structures') as StructureJson[]);
const meetings = read('meeting-series') as Array<{ slug: string; name: string }>;
const link = (label: string, href: string): Link => ({ label, href });
export function pageData(): PageData {
  const rows: Row[] = Array.from({ length: 20 }, (_, i) => ({
    kind: 'Press release', date: `${(i % 28) + 1} March 2024`, iso: `2024-03-${String((i % 28) + 1).padStart(2, '0')}`,
    source: structures[i % structures.length]!.name,
    title: `OSCE trains practitioners from ${countries[i % countries.length]!.name} on "${fields[i % fields.length]!.name}" & more`,
    href: `/press-releases/2024/03/osce-trains-practitioners-${i}`,
    summary: `The ${structures[i % structures.length]!.name} discussed ${fields[i % fields.length]!.name.toLowerCase()} with partners in ${countries[i % countries.length]!.name}.`,
    demo: true,
  }));
  return {
    title: 'All documents (page 50) | OSCE', description: 'Press releases, news, statements, events and publications.',
    canonical: 'https://www.osce.example/documents',
    menu: [
      { id: 'menu-fields', label: 'Fields of work', groups: [{ heading: null, links: fields.map((f) => link(f.name, `/fields-of-work/${f.slug}`)) }] },
      { id: 'menu-countries', label: 'Countries', groups: ['participating', 'partner'].map((role) => ({ heading: link(role, `/countries/${role}`), links: countries.filter((c) => c.role === role).map((c) => link(c.name, `/countries/${c.slug}`)) })) },
      { id: 'menu-structures', label: 'Structures', groups: [{ heading: link('Structures', '/structures'), links: structures.map((s) => link(s.name, `/structures/${s.slug}`)) }] },
      { id: 'menu-meetings', label: 'Meetings', groups: [{ heading: null, links: meetings.map((m) => link(m.name, `/meetings/${m.slug}`)) }] },
    ],
    newsroom: ['Press releases', 'News', 'Statements', 'Events', 'Publications', 'All documents'].map((l) => link(l, `/${l.toLowerCase().replace(' ', '-')}`)),
    breadcrumbs: [link('Home', '/'), link('All documents', '/documents')],
    selects: [
      { name: 'type', label: 'Type', options: ['press-release', 'news', 'statement', 'event', 'publication'].map((k) => ({ value: k, label: k })), selected: 'press-release' },
      { name: 'field', label: 'Field of work', options: fields.map((f) => ({ value: f.slug, label: f.name })), selected: '' },
      { name: 'country', label: 'Country', options: countries.map((c) => ({ value: c.slug, label: c.name })), selected: '' },
      { name: 'source', label: 'Source', options: structures.map((x) => ({ value: x.slug, label: x.name })), selected: '' },
      { name: 'year', label: 'Year', options: Array.from({ length: 36 }, (_, i) => ({ value: String(2026 - i), label: String(2026 - i) })), selected: '' },
    ],
    rows,
    pages: [1, 49, 50, 51, 120].map((n) => ({ n, href: `/documents?type=press-release&page=${n}`, current: n === 50 })),
    footer: [link('About us', '/about-us'), link('Organizational structure', '/structures'), link('Countries', '/countries'), link('Fields of work', '/fields-of-work'), link('All documents', '/documents')],
  };
}
VIEWBENCH_EOF
cat > tagged.ts <<'VIEWBENCH_EOF'
// The page with the project's own view layer (imported from the repository's src/site/html.ts), rendered whole.
import { html, type Html } from '@REPO@/src/site/html.ts';
import type { PageData, Row } from './data.ts';
const row = (r: Row): Html => html`<li class="doc-row"><p class="doc-row__meta"><span class="doc-row__kind">${r.kind}</span> <time datetime="${r.iso}">${r.date}</time> <span class="doc-row__source">${r.source}</span>${r.demo ? html` <span class="tag tag--demo">Demo</span>` : ''}</p><h2 class="doc-row__title"><a href="${r.href}">${r.title}</a></h2><p class="doc-row__summary">${r.summary}</p></li>`;
export function renderTagged(d: PageData): string {
  return html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${d.title}</title><meta name="description" content="${d.description}"><link rel="canonical" href="${d.canonical}"><link rel="stylesheet" href="/assets/site.css"><script src="/assets/menu.js" defer></script></head><body><a class="skip-link" href="#main">Skip to content</a><header class="site-header"><div class="site-header__top wrap"><a class="brand" href="/"><span class="brand__mark">OSCE</span><span class="brand__name">Organization for Security and Co-operation in Europe</span></a><nav class="newsroom-nav" aria-label="Newsroom"><ul>${d.newsroom.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul></nav></div><nav class="menu" aria-label="Main"><ul class="menu__list">${d.menu.map((p) => html`<li class="menu__item"><details class="menu__disclosure" id="${p.id}"><summary class="menu__toggle">${p.label}</summary><div class="menu__panel">${p.groups.map((g, i) => html`<div class="menu__group">${g.heading ? html`<p class="menu__heading" id="${p.id}-g${i}"><a href="${g.heading.href}">${g.heading.label}</a></p>` : ''}<ul class="menu__links">${g.links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul></div>`)}</div></details></li>`)}</ul></nav></header><nav class="breadcrumbs wrap" aria-label="Breadcrumb"><ol>${d.breadcrumbs.map((c, i) => (i === d.breadcrumbs.length - 1 ? html`<li><span aria-current="page">${c.label}</span></li>` : html`<li><a href="${c.href}">${c.label}</a></li>`))}</ol></nav><main id="main" class="wrap"><h1>All documents</h1><form class="filters" method="get" action="/documents" role="search" aria-label="Filter documents">${d.selects.map((s) => html`<div class="filter-field"><label for="filter-${s.name}">${s.label}</label><select id="filter-${s.name}" name="${s.name}"><option value="">Any</option>${s.options.map((o) => html`<option value="${o.value}"${o.value === s.selected ? html` selected` : ''}>${o.label}</option>`)}</select></div>`)}<div class="filters__actions"><button type="submit" class="button">Apply filters</button> <a href="/documents">Clear filters</a></div></form><ol class="doc-list">${d.rows.map(row)}</ol><nav class="pagination" aria-label="Pagination"><ul>${d.pages.map((p) => (p.current ? html`<li><a class="pagination__current" href="${p.href}" aria-current="page" aria-label="Page ${p.n}">${p.n}</a></li>` : html`<li><a href="${p.href}" aria-label="Page ${p.n}">${p.n}</a></li>`))}</ul></nav></main><footer class="site-footer"><div class="wrap site-footer__grid"><div><p class="site-footer__name">Organization for Security and Co-operation in Europe</p><p>Wallnerstrasse 6, 1010 Vienna, Austria</p></div><nav aria-label="Footer"><ul>${d.footer.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul></nav></div></footer></body></html>`.value;
}
VIEWBENCH_EOF
cat > page.tsx.in <<'VIEWBENCH_EOF'
import type { PageData, Row } from './data.ts';
const DocRow = ({ r }: { r: Row }) => (
  <li class="doc-row"><p class="doc-row__meta"><span class="doc-row__kind">{r.kind}</span> <time datetime={r.iso}>{r.date}</time> <span class="doc-row__source">{r.source}</span>{r.demo ? <> <span class="tag tag--demo">Demo</span></> : null}</p><h2 class="doc-row__title"><a href={r.href}>{r.title}</a></h2><p class="doc-row__summary">{r.summary}</p></li>
);
export const Page = ({ d }: { d: PageData }) => (
  <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>{d.title}</title><meta name="description" content={d.description} /><link rel="canonical" href={d.canonical} /><link rel="stylesheet" href="/assets/site.css" /><script src="/assets/menu.js" defer></script></head><body><a class="skip-link" href="#main">Skip to content</a><header class="site-header"><div class="site-header__top wrap"><a class="brand" href="/"><span class="brand__mark">OSCE</span><span class="brand__name">Organization for Security and Co-operation in Europe</span></a><nav class="newsroom-nav" aria-label="Newsroom"><ul>{d.newsroom.map((l) => <li><a href={l.href}>{l.label}</a></li>)}</ul></nav></div><nav class="menu" aria-label="Main"><ul class="menu__list">{d.menu.map((p) => <li class="menu__item"><details class="menu__disclosure" id={p.id}><summary class="menu__toggle">{p.label}</summary><div class="menu__panel">{p.groups.map((g, i) => <div class="menu__group">{g.heading ? <p class="menu__heading" id={`${p.id}-g${i}`}><a href={g.heading.href}>{g.heading.label}</a></p> : null}<ul class="menu__links">{g.links.map((l) => <li><a href={l.href}>{l.label}</a></li>)}</ul></div>)}</div></details></li>)}</ul></nav></header><nav class="breadcrumbs wrap" aria-label="Breadcrumb"><ol>{d.breadcrumbs.map((c, i) => (i === d.breadcrumbs.length - 1 ? <li><span aria-current="page">{c.label}</span></li> : <li><a href={c.href}>{c.label}</a></li>))}</ol></nav><main id="main" class="wrap"><h1>All documents</h1><form class="filters" method="get" action="/documents" role="search" aria-label="Filter documents">{d.selects.map((s) => <div class="filter-field"><label for={`filter-${s.name}`}>{s.label}</label><select id={`filter-${s.name}`} name={s.name}><option value="">Any</option>{s.options.map((o) => <option value={o.value} selected={o.value === s.selected}>{o.label}</option>)}</select></div>)}<div class="filters__actions"><button type="submit" class="button">Apply filters</button> <a href="/documents">Clear filters</a></div></form><ol class="doc-list">{d.rows.map((r) => <DocRow r={r} />)}</ol><nav class="pagination" aria-label="Pagination"><ul>{d.pages.map((p) => (p.current ? <li><a class="pagination__current" href={p.href} aria-current="page" aria-label={`Page ${p.n}`}>{p.n}</a></li> : <li><a href={p.href} aria-label={`Page ${p.n}`}>{p.n}</a></li>))}</ul></nav></main><footer class="site-footer"><div class="wrap site-footer__grid"><div><p class="site-footer__name">Organization for Security and Co-operation in Europe</p><p>Wallnerstrasse 6, 1010 Vienna, Austria</p></div><nav aria-label="Footer"><ul>{d.footer.map((l) => <li><a href={l.href}>{l.label}</a></li>)}</ul></nav></div></footer></body></html>
);
VIEWBENCH_EOF
cat > run.ts <<'VIEWBENCH_EOF'
// Renders the same ~700-element page with the tagged template, preact-render-to-string and hono/jsx.
import { renderToString } from 'preact-render-to-string';
import { h } from 'preact';
import { pageData } from './data.ts';
import { renderTagged } from './tagged.ts';
import { Page as PreactPage } from './preact-page.tsx';
import { Page as HonoPage } from './hono-page.tsx';

const renderers: Record<string, (d: ReturnType<typeof pageData>) => string> = {
  'tagged template (src/site/html.ts)': renderTagged,
  [`preact-render-to-string`]: (d) => `<!DOCTYPE html>${renderToString(h(PreactPage, { d }))}`,
  'hono/jsx': (d) => `<!DOCTYPE html>${String(HonoPage({ d }))}`,
};
const d = pageData();
const elements = (s: string) => (s.match(/<[a-zA-Z][^>]*>/g) ?? []).length;
const normalise = (s: string) => s.replace(/\s*\/>/g, '>').replace(/ (defer|selected)=""/g, ' $1').replace(/ value(?=>)/g, ' value=""');
const outputs = Object.fromEntries(Object.entries(renderers).map(([k, f]) => [k, f(d)]));
for (const [k, out] of Object.entries(outputs)) console.log(`${k}: ${elements(out)} elements, ${out.length} chars, same markup as tagged: ${normalise(out) === normalise(outputs['tagged template (src/site/html.ts)']!)}`);

const ITER = Number(process.env.ITER ?? 3000);
const ROUNDS = 7;
const results: Record<string, number[]> = {};
let sink = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const [k, f] of Object.entries(renderers)) {
    for (let i = 0; i < 200; i++) sink += f(d).length;
    const t = process.hrtime.bigint();
    for (let i = 0; i < ITER; i++) sink += f(d).length;
    (results[k] ??= []).push(Number(process.hrtime.bigint() - t) / 1e6 / ITER);
  }
}
for (const [k, v] of Object.entries(results)) {
  v.sort((a, b) => a - b);
  console.log(`${k}: median ${v[Math.floor(v.length / 2)]!.toFixed(4)} ms/render, best ${v[0]!.toFixed(4)}, worst ${v.at(-1)!.toFixed(4)}`);
}
console.log('sink', sink > 0);
VIEWBENCH_EOF
sed -i "s#@REPO@#$REPO#g" data.ts tagged.ts
{ echo '/** @jsxImportSource preact */'; cat page.tsx.in; } > preact-page.tsx
{ echo '/** @jsxImportSource hono/jsx */'; cat page.tsx.in; } > hono-page.tsx

npm i --no-save --no-audit --no-fund preact@11 preact-render-to-string@6 hono@4 >/dev/null
echo "preact $(node -p "require('./node_modules/preact/package.json').version"), preact-render-to-string $(node -p "require('./node_modules/preact-render-to-string/package.json').version"), hono $(node -p "require('./node_modules/hono/package.json').version"), node $(node -v)"
node --import "file://$REPO/node_modules/tsx/dist/loader.mjs" run.ts

// A readable page about the API, rendered from the same OpenAPI document it serves.

import { html } from '../../text/html.ts';
import type { SiteContext } from '../context.ts';
import { renderPage } from '../layout.ts';

export function renderApiDocs(context: SiteContext, spec: OpenApiDocument): string {
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );
  const main = html`<h1>${spec.info.title}</h1>
<p class="lead">${spec.info.description ?? ''}</p>
<p>The machine-readable description is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Every listing page of the site is also available as JSON, RSS, Atom, JSON Feed and CSV by adding <code>.json</code>, <code>.rss</code>, <code>.atom</code>, <code>.feed.json</code> or <code>.csv</code> to its path, with the same parameters.</p>
<h2>Conventions</h2>
<ul>
<li>Reading is open to any origin (CORS), and every response carries an <code>ETag</code>: send it back in <code>If-None-Match</code> to get <code>304 Not Modified</code>.</li>
<li>Each client address may make a limited number of requests a minute; past it the answer is <code>429</code> with <code>Retry-After</code>.</li>
<li>Errors are <code>application/problem+json</code> (RFC 9457) with a stable <code>code</code> and, for a bad parameter, its name in <code>parameter</code>.</li>
<li>Dates are ISO 8601 in UTC. Pages of results: <code>page</code> and <code>page_size</code>, or <code>cursor</code> (the previous page's <code>next_cursor</code>), which stays stable while new documents are published.</li>
</ul>
${operations.map(
  ({
    path,
    method,
    operation,
  }) => html`<section class="api-operation" aria-labelledby="op-${method}-${path.replace(/[^a-z0-9]+/gi, '-')}">
<h2 id="op-${method}-${path.replace(/[^a-z0-9]+/gi, '-')}"><code>${method} ${path}</code></h2>
<p>${operation.summary ?? ''}</p>
${operation.description ? html`<p>${operation.description}</p>` : ''}
${
  operation.parameters && operation.parameters.length > 0
    ? html`<table class="data-table"><caption>Parameters</caption>
<thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Description</th></tr></thead>
<tbody>${operation.parameters.map(
        (p) =>
          html`<tr><th scope="row"><code>${p.name}</code>${p.required ? ' (required)' : ''}</th><td>${p.in}</td><td>${p.description ?? ''}</td></tr>`,
      )}</tbody></table>`
    : ''
}
</section>`,
)}`;
  return renderPage(context, {
    title: 'API',
    description: 'The public JSON API: documents, search, facets and taxonomies.',
    canonicalPath: '/api/docs',
    breadcrumbs: [{ label: 'Home', href: '/' }, { label: 'API' }],
    main,
  });
}

/** The parts of an OpenAPI document the docs page reads. */
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface OpenApiOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; description?: string; required?: boolean; schema?: { type?: string } }[];
}

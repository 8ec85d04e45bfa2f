// Error pages a reader can act on: what went wrong, and where to go next.

import { html } from '../../text/html.ts';
import type { SiteContext } from '../context.ts';
import { renderPage } from '../layout.ts';

export interface ErrorPageOptions {
  statusCode: number;
  title: string;
  message: string;
  parameter?: string;
}

export function renderErrorPage(context: SiteContext, options: ErrorPageOptions): string {
  const main =
    options.statusCode === 404
      ? html`<h1>${options.title}</h1>
<p class="lead">${options.message}</p>
<p>If you typed the web address, check it is correct. If you followed a link, the document may have moved or not be published yet.</p>
<ul><li><a href="/">Go to the home page</a></li><li><a href="/press-releases">Browse press releases</a></li><li><a href="/documents">Browse all documents</a></li></ul>`
      : html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h1 id="error-summary-title">${options.title}</h1>
<p>${options.message}</p>
${options.parameter ? html`<p>Parameter: <code>${options.parameter}</code></p>` : ''}
</div>
<p><a href="/">Go to the home page</a></p>`;
  return renderPage(context, { title: options.title, main });
}

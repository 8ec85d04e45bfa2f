// The view layer: a tagged template that escapes every interpolated value unless it is
// already Html. Chosen over JSX renderers by measurement (docs/decisions/0002-view-layer.md).
import { escapeHtml } from './escape-html.ts';

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Renderable = Html | string | number | null | undefined | false | readonly Renderable[];

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  let out = '';
  for (const item of value) out += render(item);
  return out;
}

/**
 * @example html`<a href="${url}">${title}</a>` // title and url are escaped
 */
export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i += 1) out += render(values[i] as Renderable) + (strings[i + 1] as string);
  return new Html(out);
}

/** Trusted markup: sanitised bodies and cached fragments. Never user text. */
export const raw = (markup: string): Html => new Html(markup);

/**
 * The same markup as one flat string. V8 keeps a concatenation as a tree of its pieces and walks
 * it again in every page that includes it, when the page is encoded: a fragment kept and reused
 * (a facet panel of thousands of pieces) is copied out once instead.
 */
export const flattened = (markup: Html): Html => raw(Buffer.from(markup.value, 'utf8').toString('utf8'));

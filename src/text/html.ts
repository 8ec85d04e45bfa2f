// The view layer: a tagged template that escapes every interpolated value unless it is
// already Html. Chosen over JSX renderers by measurement (docs/decisions/0002-view-layer.md).
import { escapeHtml } from './escape-html.ts';
import { utf8Bytes } from './utf8.ts';

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

/** Markup kept and reused (the page chrome, a facet panel, a document's row) with its UTF-8 bytes. */
export class EncodedHtml extends Html {
  constructor(
    value: string,
    readonly bytes: Buffer,
  ) {
    super(value);
  }
}

/**
 * Markup to keep: encoded once, and as one flat string. V8 keeps a concatenation as a tree of its
 * pieces and would walk it again in every page that includes it.
 */
export function encoded(markup: Html): EncodedHtml {
  const bytes = Buffer.from(markup.value, 'utf8');
  return new EncodedHtml(bytes.toString('utf8'), bytes);
}

/** A page's markup in pieces: kept fragments stand apart, so that their bytes are sent as they are. */
export type HtmlPieces = readonly Html[];

/**
 * As `html`, but kept fragments (EncodedHtml), wherever they sit among the values, stay pieces of
 * their own; the markup between them is joined.
 * @example pieces`<ol>${rows}</ol>` // [Html('<ol>'), row, row, Html('</ol>')] when the rows are kept
 */
export function pieces(strings: TemplateStringsArray, ...values: Renderable[]): HtmlPieces {
  const out: Html[] = [];
  let pending = strings[0] as string;
  const add = (value: Renderable) => {
    if (value instanceof EncodedHtml) {
      if (pending !== '') out.push(new Html(pending));
      out.push(value);
      pending = '';
    } else if (Array.isArray(value)) {
      for (const item of value as readonly Renderable[]) add(item);
    } else {
      pending += render(value);
    }
  };
  for (let i = 0; i < values.length; i += 1) {
    add(values[i] as Renderable);
    pending += strings[i + 1] as string;
  }
  if (pending !== '') out.push(new Html(pending));
  return out;
}

/** The pieces' markup as one string. */
export const joinPieces = (markup: HtmlPieces): string => markup.map((piece) => piece.value).join('');

/** The pieces' UTF-8 bytes, in order: kept fragments as they are, the markup between them encoded. */
export function piecesBytes(markup: HtmlPieces): Buffer[] {
  return markup.map((piece) => (piece instanceof EncodedHtml ? piece.bytes : utf8Bytes(piece.value)));
}

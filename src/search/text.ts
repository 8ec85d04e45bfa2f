// The plain text of a document, as the search index sees it.
import { decodeHTML } from 'entities';

/** @example htmlToText('<p>R&amp;D</p><p>Next</p>') // 'R&D\nNext' */
export function htmlToText(html: string): string {
  return (
    decodeHTML(
      html.replace(/<\/(p|h[1-6]|li|blockquote|figcaption|tr|caption)>|<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, ''),
    )
      // Control characters would collide with the snippet markers; they carry no meaning here.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
      .replace(/[\u0000-\u0008\u000b-\u001f]/g, '')
      .replace(/[ \t]+/g, ' ')
      .replace(/\n\s*/g, '\n')
      .trim()
  );
}

export interface SearchText {
  title: string;
  summary: string;
  body: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** What the index stores for a document (control characters would collide with snippet markers). */
export function searchTextOf(row: { title: string; summary: string; body_html: string }): SearchText {
  return {
    title: row.title.replace(CONTROL, ''),
    summary: row.summary.replace(CONTROL, ''),
    body: htmlToText(row.body_html),
  };
}

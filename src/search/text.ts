// The plain text of a document, as the search index sees it.
import { decodeHTML } from 'entities';
import type { Tx } from '../store/store.ts';

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

/**
 * Replaces every stored search text with one made from its document, a thousand at a time, inside
 * the caller's transaction; returns how many were written. Each engine's index follows from it.
 */
export async function rewriteDocumentTexts(tx: Tx): Promise<number> {
  await tx.deleteFrom('document_texts').execute();
  let lastId = 0;
  let written = 0;
  for (;;) {
    const rows = await tx
      .selectFrom('documents')
      .select(['id', 'title', 'summary', 'body_html'])
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (rows.length === 0) return written;
    await tx
      .insertInto('document_texts')
      .values(rows.map((row) => ({ document_id: row.id, ...searchTextOf(row) })))
      .execute();
    written += rows.length;
    lastId = (rows.at(-1) as { id: number }).id;
  }
}

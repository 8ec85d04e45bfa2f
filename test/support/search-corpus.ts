// Writes a small named search corpus (news, published unless a document says otherwise) and
// records each document's id under its name: the search suites' shared fixture.
import type { DocumentInput, DocumentWriter } from '../../src/documents/writer.ts';
import type { Store } from '../../src/store/store.ts';

export type SearchCorpus = Record<string, Partial<DocumentInput> & { title: string; datedAt: string }>;

export async function writeSearchCorpus(
  store: Store,
  writer: DocumentWriter,
  corpus: SearchCorpus,
  ids: Record<string, number>,
): Promise<void> {
  await store.transaction(async (tx) => {
    for (const [name, doc] of Object.entries(corpus)) {
      ids[name] = await writer.create(tx, {
        kind: 'news',
        slug: `search-${name.toLowerCase()}`,
        summary: 'A short summary.',
        bodyHtml: '<p>Nothing else to report.</p>',
        status: 'published',
        ...doc,
      });
    }
  });
}

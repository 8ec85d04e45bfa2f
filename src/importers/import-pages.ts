// Stores legacy pages as documents: all files are read and resolved first, then written in
// one transaction, so that a bad file stores nothing. Re-importing a page updates it.
import fs from 'node:fs';
import { slugFor } from '../documents/slug.ts';
import { type DocumentInput, type DocumentWriter, snapshotOf } from '../documents/writer.ts';
import { ImportFormatError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import { escapeHtml } from '../text/escape-html.ts';
import { type LegacyPage, parseLegacyPage } from './legacy-page.ts';

export type ImportOutcome = 'created' | 'updated' | 'unchanged';

export interface ImportResult {
  file: string;
  documentId: number;
  outcome: ImportOutcome;
  title: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Countries a page is about: those it names, its place's country, and a chairpersonship it cites. */
function inferCountryIds(page: LegacyPage, catalog: Catalog): number[] {
  const text = `${page.title}\n${page.paragraphs.join('\n')}`;
  const ids = new Set<number>();
  // Each city of the place ("Chisinau/Vienna").
  const places = (page.place ?? '').split('/').map((place) => place.trim().toLowerCase());
  for (const country of catalog.countries) {
    if (new RegExp(`(^|[^\\p{L}])${escapeRegExp(country.name)}(?![\\p{L}])`, 'u').test(text)) ids.add(country.id);
    if (country.capital && places.includes(country.capital.toLowerCase())) ids.add(country.id);
  }
  const chair = catalog.chairpersonships.get(Number(page.date.slice(0, 4)));
  if (
    chair?.country &&
    new RegExp(`\\b${escapeRegExp(chair.adjective)}\\s+(OSCE\\s+)?Chair(man|person)ship`).test(text)
  ) {
    ids.add(chair.country.id);
  }
  return [...ids];
}

/** Turns a parsed page into a document, resolving its labels against the taxonomies. */
export function resolveLegacyPage(page: LegacyPage, file: string, catalog: Catalog): DocumentInput {
  const sourceIds = page.sources.map((name, index) => {
    const source = catalog.structureByName(name);
    if (!source) throw new ImportFormatError(file, page.lines.sources[index] ?? 1, `unknown source "${name}"`);
    return source.id;
  });
  const fieldIds = page.fieldsOfWork.map((name) => {
    const field = catalog.fieldByName(name);
    if (!field)
      throw new ImportFormatError(file, (page.lines.fieldsOfWork ?? 0) + 1, `unknown field of work "${name}"`);
    return field.id;
  });
  const namedCountryIds = page.countries.map((name) => {
    const country = catalog.countryByName(name);
    if (!country) throw new ImportFormatError(file, (page.lines.countries ?? 0) + 1, `unknown country "${name}"`);
    return country.id;
  });
  const slug = slugFor(page.title);
  return {
    kind: page.kind,
    slug,
    language: page.language,
    title: page.title,
    summary: page.paragraphs[0] ?? '',
    bodyHtml: page.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
    datedAt: `${page.date}T00:00:00.000Z`,
    // An archive: the page went public on its date.
    publishedAt: `${page.date}T00:00:00.000Z`,
    place: page.place,
    sourceIds,
    status: 'published',
    legacyKey: `legacy:${page.kind}:${page.language}:${page.date}:${slug}`,
    fieldIds,
    countryIds: [...new Set([...namedCountryIds, ...inferCountryIds(page, catalog)])],
  };
}

/**
 * @throws ImportFormatError for the first unreadable file; nothing is stored then.
 * @example await importLegacyPages(store, writer, catalog, ['data/pages/press-release.txt'])
 */
export async function importLegacyPages(
  store: Store,
  writer: DocumentWriter,
  catalog: Catalog,
  files: readonly string[],
): Promise<ImportResult[]> {
  const inputs = files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new ImportFormatError(
        file,
        0,
        `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    return { file, input: resolveLegacyPage(parseLegacyPage(text, file), file, catalog) };
  });

  return store.transaction(async (tx) => {
    const results: ImportResult[] = [];
    for (const { file, input } of inputs) {
      const existing = await tx
        .selectFrom('documents')
        .select(['id', 'revision'])
        .where('legacy_key', '=', input.legacyKey ?? '')
        .executeTakeFirst();
      if (!existing) {
        const documentId = await writer.create(tx, input, `Imported from ${file}`);
        results.push({ file, documentId, outcome: 'created', title: input.title });
        continue;
      }
      const latest = await tx
        .selectFrom('document_revisions')
        .select('snapshot')
        .where('document_id', '=', existing.id)
        .where('revision', '=', existing.revision)
        .executeTakeFirst();
      const outcome: ImportOutcome = latest?.snapshot === snapshotOf(input) ? 'unchanged' : 'updated';
      if (outcome === 'updated')
        await writer.update(tx, existing.id, existing.revision, input, `Re-imported from ${file}`);
      results.push({ file, documentId: existing.id, outcome, title: input.title });
    }
    return results;
  });
}

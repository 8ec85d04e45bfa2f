// The CSV export of a listing: one row per document, RFC 4180, safe to open in a spreadsheet.
import { stringify } from 'csv-stringify/sync';
import type { FeedDocument, FeedEntry } from './entries.ts';

export const CSV_COLUMNS = [
  'id',
  'kind',
  'title',
  'date',
  'updated',
  'place',
  'source',
  'fields_of_work',
  'countries',
  'url',
  'summary',
  'demo',
] as const;

type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

/** Several values in one cell: "; " because commas occur inside names ("Korea, Republic of"). */
const joined = (labels: readonly string[]) => labels.join('; ');

function row(entry: FeedEntry): CsvRow {
  return {
    // The plain database id, as the API gives it, so rows can be matched with other exports.
    id: String(entry.documentId),
    kind: entry.kind.label,
    title: entry.title,
    date: entry.published,
    updated: entry.updated,
    place: entry.place ?? '',
    source: entry.sources.map((source) => source.name).join('; '),
    fields_of_work: joined(entry.fields.map((term) => term.label)),
    countries: joined(entry.countries.map((term) => term.label)),
    url: entry.url,
    summary: entry.summary,
    demo: entry.isDemo ? 'yes' : 'no',
  };
}

/**
 * CRLF line ends and quoting as RFC 4180 has them; a byte-order mark so that spreadsheet programs read
 * UTF-8; and cells that start like a formula (= + - @) get a leading apostrophe, so that a title cannot
 * run code on the reader's machine (CSV injection).
 * @example renderCsv(doc).split('\r\n')[0] // '\uFEFFid,kind,title,date,updated,place,source,fields_of_work,countries,url,summary,demo'
 */
export function renderCsv(doc: FeedDocument): string {
  return stringify(doc.entries.map(row), {
    header: true,
    columns: [...CSV_COLUMNS],
    bom: true,
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}

// Parses a page in the legacy capture format: the site menu, then one content block
// (type line, title, "- Label:" lines each followed by "- value" lines, then body paragraphs).
import { ImportFormatError } from '../errors.ts';
import type { DocumentKind } from '../store/schema.ts';
import { parseDate, parseDateline, titleCasePlace } from './dateline.ts';

const TYPE_LABELS: ReadonlyMap<string, DocumentKind> = new Map([
  ['press release', 'press-release'],
  ['news', 'news'],
  ['news item', 'news'],
  ['statement', 'statement'],
  ['speech', 'statement'],
  ['event', 'event'],
  ['publication', 'publication'],
  ['document', 'publication'],
  ['page', 'page'],
]);

const KNOWN_LABELS = new Set(['date', 'place', 'source', 'fields of work', 'countries', 'language']);

export interface LegacyPage {
  kind: DocumentKind;
  title: string;
  /** ISO calendar date. */
  date: string;
  /** The dateline's city or cities, "Chisinau/Vienna". */
  place: string | null;
  /** The issuing structures as named, the lead first. */
  sources: string[];
  fieldsOfWork: string[];
  countries: string[];
  language: string;
  paragraphs: string[];
  /** 1-based line numbers, for error messages about resolved values. */
  lines: {
    type: number;
    source: number | null;
    /** The line of each name in `sources`. */
    sources: number[];
    fieldsOfWork: number | null;
    countries: number | null;
  };
}

const labelOf = (line: string) => /^-\s*([^:]+):\s*$/.exec(line)?.[1]?.trim().toLowerCase();
const dashValue = (line: string) => (/^-\s+(.*)$/.exec(line)?.[1] ?? '').trim();

/** Finds the content block: a type line, a title, then a "- Label:" line. */
function findContentStart(lines: readonly string[]): number {
  for (let i = 0; i + 2 < lines.length; i += 1) {
    const line = lines[i]?.trim() ?? '';
    if (!TYPE_LABELS.has(line.toLowerCase())) continue;
    const label = labelOf(lines[i + 2]?.trim() ?? '');
    if (label && KNOWN_LABELS.has(label)) return i;
  }
  return -1;
}

/**
 * @throws ImportFormatError naming the file and line of the first problem.
 * @example parseLegacyPage(fs.readFileSync(file, 'utf8'), file).title
 */
export function parseLegacyPage(text: string, file: string): LegacyPage {
  if (text.includes('\u0000')) throw new ImportFormatError(file, 1, 'the file is binary, not a text page');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const start = findContentStart(lines);
  if (start < 0) {
    throw new ImportFormatError(
      file,
      lines.length,
      'no content block found: expected a type line ("Press release", "News", ...), a title, then "- Date:"-style labels',
    );
  }
  const typeLine = (lines[start] ?? '').trim();
  const kind = TYPE_LABELS.get(typeLine.toLowerCase()) as DocumentKind;
  const title = (lines[start + 1] ?? '').trim();
  if (title === '' || title.startsWith('- ')) throw new ImportFormatError(file, start + 2, 'the title line is empty');

  const values = new Map<string, { values: string[]; valueLines: number[]; line: number }>();
  let cursor = start + 2;
  let current: string | null = null;
  for (; cursor < lines.length; cursor += 1) {
    const line = (lines[cursor] ?? '').trim();
    const label = labelOf(line);
    if (label !== undefined) {
      if (!KNOWN_LABELS.has(label)) throw new ImportFormatError(file, cursor + 1, `unknown label "${label}:"`);
      if (values.has(label)) throw new ImportFormatError(file, cursor + 1, `label "${label}:" appears twice`);
      current = label;
      values.set(label, { values: [], valueLines: [], line: cursor + 1 });
    } else if (line.startsWith('- ') && current) {
      const entry = values.get(current);
      entry?.values.push(dashValue(line));
      entry?.valueLines.push(cursor + 1);
    } else {
      break;
    }
  }

  const paragraphs = lines
    .slice(cursor)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (paragraphs.length === 0) throw new ImportFormatError(file, cursor + 1, 'the body is empty');

  const single = (label: string): string | null => {
    const entry = values.get(label);
    if (!entry || entry.values.length === 0) return null;
    if (entry.values.length > 1) throw new ImportFormatError(file, entry.line, `"${label}:" has more than one value`);
    return entry.values[0] || null;
  };
  const listWithLines = (label: string): { value: string; line: number }[] => {
    const entry = values.get(label);
    return (entry?.values ?? []).flatMap((text, index) =>
      text
        .split(',')
        .map((value) => value.trim())
        .filter((value) => value !== '')
        .map((value) => ({ value, line: entry?.valueLines[index] ?? entry?.line ?? cursor })),
    );
  };
  const list = (label: string): string[] => listWithLines(label).map((item) => item.value);
  const sources = listWithLines('source');

  const dateline = parseDateline(paragraphs[0] ?? '');
  const dateText = single('date');
  let date: string | null = null;
  if (dateText) {
    date = parseDate(dateText);
    if (!date)
      throw new ImportFormatError(file, values.get('date')?.line ?? cursor, `cannot read the date "${dateText}"`);
  } else {
    date = dateline?.date ?? null;
  }
  if (!date) {
    throw new ImportFormatError(file, cursor + 1, 'no date: "Date:" is empty and the first paragraph has no dateline');
  }

  // Several places: "- Chisinau/Vienna", "- Chisinau, Vienna" or one line each.
  const places = (values.get('place')?.values ?? [])
    .flatMap((value) => value.split(/[,/]/))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  return {
    kind,
    title,
    date,
    place: places.length > 0 ? places.map(titleCasePlace).join('/') : (dateline?.place ?? null),
    sources: sources.map((item) => item.value),
    fieldsOfWork: list('fields of work'),
    countries: list('countries'),
    language: single('language') ?? 'en',
    paragraphs,
    lines: {
      type: start + 1,
      source: values.get('source')?.line ?? null,
      sources: sources.map((item) => item.line),
      fieldsOfWork: values.get('fields of work')?.line ?? null,
      countries: values.get('countries')?.line ?? null,
    },
  };
}

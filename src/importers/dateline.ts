// Reads the dateline that opens a press release: "VIENNA, 11 September 2007 - The OSCE ...",
// in the organisation's six official languages and the usual date notations.

const LOCALES = ['en', 'fr', 'de', 'it', 'ru', 'es'] as const;

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\.$/, '');

/** Month names (full, abbreviated, and genitive where a language has one) → month number. */
const MONTHS: ReadonlyMap<string, number> = (() => {
  const months = new Map<string, number>();
  for (const locale of LOCALES) {
    for (let month = 0; month < 12; month += 1) {
      const date = new Date(Date.UTC(2001, month, 11));
      const names = [
        new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(date),
        new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(date),
        // "11 сентября": the genitive form, as the month is written inside a date.
        ...new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' })
          .formatToParts(date)
          .filter((part) => part.type === 'month')
          .map((part) => part.value),
      ];
      for (const name of names) months.set(fold(name), month + 1);
    }
  }
  months.set('sept', 9);
  return months;
})();

export interface Dateline {
  /** The place as written, in title case: "Vienna", "The Hague". */
  place: string;
  /** ISO calendar date, "2007-09-11". */
  date: string;
  /** The text after the dateline. */
  rest: string;
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const DATE_PATTERNS: ReadonlyArray<{ pattern: RegExp; read: (m: RegExpExecArray) => string | null }> = [
  // 11 September 2007 · 11. September 2007 · 11 de septiembre de 2007 · 11 сентября 2007 г.
  {
    pattern: /^(\d{1,2})\.?\s+(?:de\s+)?(\p{L}+\.?)\s+(?:de\s+)?(\d{4})(?:\s*г(?:ода|\.)?)?/u,
    read: (m) => {
      const month = MONTHS.get(fold(m[2] ?? ''));
      return month ? isoDate(Number(m[3]), month, Number(m[1])) : null;
    },
  },
  // September 11, 2007
  {
    pattern: /^(\p{L}+\.?)\s+(\d{1,2}),?\s+(\d{4})/u,
    read: (m) => {
      const month = MONTHS.get(fold(m[1] ?? ''));
      return month ? isoDate(Number(m[3]), month, Number(m[2])) : null;
    },
  },
  // 11.09.2007 · 11/09/2007
  { pattern: /^(\d{1,2})[./](\d{1,2})[./](\d{4})/, read: (m) => isoDate(Number(m[3]), Number(m[2]), Number(m[1])) },
  // 2007-09-11
  { pattern: /^(\d{4})-(\d{2})-(\d{2})/, read: (m) => isoDate(Number(m[1]), Number(m[2]), Number(m[3])) },
];

/**
 * Reads a date written in any of the supported notations, alone.
 * @example parseDate('11 September 2007') // '2007-09-11'
 */
export function parseDate(text: string): string | null {
  const trimmed = text.trim();
  for (const { pattern, read } of DATE_PATTERNS) {
    const match = pattern.exec(trimmed);
    if (match && match[0].length === trimmed.length) return read(match);
  }
  return null;
}

/** "VIENNA" → "Vienna", "THE HAGUE" → "The Hague", "ВЕНА" → "Вена". */
export function titleCasePlace(place: string): string {
  return place
    .trim()
    .toLocaleLowerCase()
    .replace(/(^|[\s/-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toLocaleUpperCase());
}

/**
 * @example parseDateline('VIENNA, 11 September 2007 - The OSCE plays')
 * // { place: 'Vienna', date: '2007-09-11', rest: 'The OSCE plays' }
 */
export function parseDateline(paragraph: string): Dateline | null {
  const comma = paragraph.indexOf(',');
  if (comma < 2 || comma > 60) return null;
  const place = paragraph.slice(0, comma).trim();
  // A dateline's place is written in capitals; anything else is ordinary prose.
  if (!/^[\p{Lu}\s./'-]+$/u.test(place)) return null;
  const afterPlace = paragraph.slice(comma + 1).trimStart();
  for (const { pattern, read } of DATE_PATTERNS) {
    const match = pattern.exec(afterPlace);
    if (!match) continue;
    const date = read(match);
    const separator = /^\s*[-–—]\s*/.exec(afterPlace.slice(match[0].length));
    if (date && separator) {
      return { place: titleCasePlace(place), date, rest: afterPlace.slice(match[0].length + separator[0].length) };
    }
  }
  return null;
}

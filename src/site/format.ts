// Dates and datelines as the organisation writes them: "VIENNA, 11 September 2007".

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const NUMBER = new Intl.NumberFormat('en-GB');

// Intl formatting costs microseconds per call, and listings repeat the same few thousand days.
const formattedDays = new Map<string, string>();
const MAX_CACHED_DAYS = 20_000;

/** @example formatDate('2007-09-11T00:00:00.000Z') // '11 September 2007' */
export function formatDate(iso: string): string {
  const day = iso.slice(0, 10);
  let formatted = formattedDays.get(day);
  if (formatted === undefined) {
    formatted = DATE.format(new Date(`${day}T00:00:00.000Z`));
    if (formattedDays.size >= MAX_CACHED_DAYS) formattedDays.clear();
    formattedDays.set(day, formatted);
  }
  return formatted;
}

/** @example formatDateline('Vienna', '2007-09-11T00:00:00.000Z') // 'VIENNA, 11 September 2007' */
export const formatDateline = (place: string | null, iso: string): string =>
  place ? `${place.toLocaleUpperCase('en')}, ${formatDate(iso)}` : formatDate(iso);

export const formatNumber = (value: number): string => NUMBER.format(value);

/** "1 document", "2,000 documents". */
export const plural = (count: number, singular: string, pluralForm = `${singular}s`): string =>
  `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;

/** The date part of an ISO timestamp, for `<time datetime>`. */
export const isoDay = (iso: string): string => iso.slice(0, 10);

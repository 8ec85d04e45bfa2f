// Dates and datelines as the organisation writes them: "VIENNA, 11 September 2007".

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const NUMBER = new Intl.NumberFormat('en-GB');

/** @example formatDate('2007-09-11T00:00:00.000Z') // '11 September 2007' */
export const formatDate = (iso: string): string => DATE.format(new Date(iso));

/** @example formatDateline('Vienna', '2007-09-11T00:00:00.000Z') // 'VIENNA, 11 September 2007' */
export const formatDateline = (place: string | null, iso: string): string =>
  place ? `${place.toLocaleUpperCase('en')}, ${formatDate(iso)}` : formatDate(iso);

export const formatNumber = (value: number): string => NUMBER.format(value);

/** "1 document", "2,000 documents". */
export const plural = (count: number, singular: string, pluralForm = `${singular}s`): string =>
  `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;

/** The date part of an ISO timestamp, for `<time datetime>`. */
export const isoDay = (iso: string): string => iso.slice(0, 10);

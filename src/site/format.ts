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

/**
 * @example formatNumber(982) // '982'; formatNumber(12500) // '12,500'
 */
export function formatNumber(value: number): string {
  // Whole counts, grouped by hand as en-GB groups them: Intl costs a microsecond a call, five
  // under load (its code is out of the CPU's caches by the time a page asks again).
  if (!Number.isSafeInteger(value) || value < 0) return NUMBER.format(value);
  const digits = String(value);
  if (digits.length <= 3) return digits;
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let index = grouped.length; index < digits.length; index += 3) grouped += `,${digits.slice(index, index + 3)}`;
  return grouped;
}

/** "1 document", "2,000 documents". */
export const plural = (count: number, singular: string, pluralForm = `${singular}s`): string =>
  `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;

/** The date part of an ISO timestamp, for `<time datetime>`. */
export const isoDay = (iso: string): string => iso.slice(0, 10);

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/**
 * A moment as local time in a zone, with its offset (ISO 8601).
 * @example localIsoMoment('2026-12-15T08:00:00.000Z', 'Europe/Vienna') // '2026-12-15T09:00:00+01:00'
 */
export function localIsoMoment(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    zoneFormat(timeZone)
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/**
 * An event's time in its own zone, as readers expect it.
 * @example formatEventTime('2026-12-15T08:00:00.000Z', 'Europe/Vienna') // '09:00 (UTC+01:00)'
 */
export function formatEventTime(iso: string, timeZone: string): string {
  const local = localIsoMoment(iso, timeZone);
  const offset = local.slice(19);
  return `${local.slice(11, 16)} (UTC${offset === 'Z' ? '' : offset})`;
}

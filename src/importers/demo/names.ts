// How the demo corpus writes the organisation's names: structures, the year's Chairpersonship,
// countries and fields of work, exactly as the taxonomies spell them, cased for running text;
// datelines, and an event's local wall-clock time converted to UTC.
import type { Country } from '../../store/schema.ts';
import type { ChairpersonshipInfo, StructureNode } from '../../taxonomy/catalog.ts';
import { sourceLabel } from '../../taxonomy/organisation.ts';
import { structureProfile } from './profiles.ts';
import { COUNTRIES_WITH_ARTICLE, MONTHS } from './vocabulary.ts';

/** A structure as a text names it. */
export interface Voice {
  readonly node: StructureNode;
  /** At the start of a title: "OSCE Mission to Skopje", "ODIHR". */
  readonly title: string;
  /** First mention in a sentence: "the OSCE Mission to Skopje". */
  readonly text: string;
  /** Later mentions: "the Mission". */
  readonly short: string;
  /** Who speaks for it, first and later mentions: "the Head of the OSCE Mission to Skopje", "the Head of Mission". */
  readonly speaker: string;
  readonly speakerShort: string;
  /** The speaker at the start of a title, or after "Statement by the": "Head of the OSCE Mission to Skopje". */
  readonly speakerTitle: string;
}

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** "the Mission" → "the Mission's"; "ODIHR" → "ODIHR's". */
export const possessive = (name: string) => (name.endsWith('s') ? `${name}'` : `${name}'s`);

const HEADS: ReadonlyArray<[RegExp, string]> = [
  [/^Mission\b/, 'the Head of Mission'],
  [/^(Programme )?Office\b/, 'the Head of Office'],
  [/^Centre\b/, 'the Head of the Centre'],
  [/^Presence\b/, 'the Head of the Presence'],
];

/** The names of a structure other than the Chairpersonship (whose names change every year). */
export function structureVoice(node: StructureNode): Voice {
  const profile = structureProfile(node.slug, node.kind);
  const label = sourceLabel(node);
  // "Mission to Skopje" → "Mission"; "Programme Office in Bishkek" → "Programme Office".
  const office = node.name.split(/ (?:to|in) /)[0] ?? node.name;
  const operation = node.kind === 'field-operation' || node.kind === 'closed-field-operation';
  let speaker = profile.speaker;
  if (!speaker && operation) {
    const head = HEADS.find(([pattern]) => pattern.test(node.name))?.[1];
    speaker = head ? [`the Head of the ${label}`, head] : [`the ${label}`, `the ${office}`];
  }
  const first = speaker?.[0] ?? `a spokesperson for the ${label}`;
  return {
    node,
    title: profile.title ?? label,
    text: profile.text ?? `the ${label}`,
    short: profile.short ?? (operation ? `the ${office}` : `the ${node.name}`),
    speaker: first,
    speakerShort: speaker?.[1] ?? 'the spokesperson',
    speakerTitle: capitalize(first.replace(/^(the|a) /, '')),
  };
}

/** A country inside a sentence: "the Russian Federation", "The Netherlands", "Moldova". */
export function countryText(country: Pick<Country, 'slug' | 'name'>): string {
  return COUNTRIES_WITH_ARTICLE.has(country.slug) ? `the ${country.name}` : country.name;
}

/** The year's Chairpersonship, named as the taxonomy has it that year. */
export function chairVoice(node: StructureNode, chair: ChairpersonshipInfo): Voice & { inOffice: string } {
  // Until 2013 the taxonomy says "Chairmanship", and the office was the Chairman-in-Office.
  const inOffice = chair.title === 'Chairmanship' ? 'Chairman-in-Office' : 'Chairperson-in-Office';
  const state = chair.country ? countryText(chair.country) : chair.country_name;
  return {
    node,
    title: `${chair.adjective} OSCE ${chair.title}`,
    text: `the ${chair.adjective} OSCE ${chair.title}`,
    short: `the ${chair.title}`,
    speaker: `the OSCE ${inOffice}, the Foreign Minister of ${state}`,
    speakerShort: `the ${inOffice}`,
    speakerTitle: `OSCE ${inOffice}`,
    inOffice,
  };
}

const PROPER_WORDS = new Set(['Roma', 'Sinti', 'OSCE']);

/**
 * A field of work's name inside a sentence: lower-cased, but acronyms and proper nouns kept.
 * @example fieldText('Cyber/ICT Security') // 'cyber/ICT security'
 * @example fieldText('Roma and Sinti') // 'Roma and Sinti'
 */
export function fieldText(name: string): string {
  return name.replace(/\p{L}+/gu, (word) =>
    PROPER_WORDS.has(word) || (word.length > 1 && word === word.toUpperCase()) ? word : word.toLowerCase(),
  );
}

/**
 * A field of work as the object of "work on", "support in": a proper name takes "issues".
 * @example fieldInSentence('Roma and Sinti') // 'Roma and Sinti issues'
 * @example fieldInSentence('Border management') // 'border management'
 */
export function fieldInSentence(name: string): string {
  const text = fieldText(name);
  return text === name && text.charAt(0) !== text.charAt(0).toLowerCase() ? `${text} issues` : text;
}

/** "VIENNA, 11 September 2007 – ", for one or several cities ("Chisinau/Vienna"). */
export function datelineOf(place: string, year: number, month: number, day: number): string {
  return `${place.toUpperCase()}, ${day} ${MONTHS[month]} ${year} – `;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far a zone's wall clock is ahead of UTC at a moment, in milliseconds. */
function zoneOffset(zone: string, utc: number): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, format);
  }
  const wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const part of format.formatToParts(utc)) {
    if (part.type in wall) wall[part.type as keyof typeof wall] = Number(part.value);
  }
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - Math.floor(utc / 60_000) * 60_000;
}

/** The UTC moment of a wall-clock time in a zone (daytime: never inside a DST change). */
export function zonedMoment(zone: string, year: number, month: number, day: number, hour: number, minute: number) {
  const wall = Date.UTC(year, month, day, hour, minute);
  const first = wall - zoneOffset(zone, wall);
  return wall - zoneOffset(zone, first);
}

// The choices behind each demo document: which stories a structure tells, who is active in a
// year, whom it co-issues with, where a meeting meets, and the words a title and body share.
import type { Country, FieldOfWork } from '../../store/schema.ts';
import type { Catalog, StructureNode } from '../../taxonomy/catalog.ts';
import type { RandomSource } from '../../text/random.ts';
import { chairVoice, fieldInSentence, fieldText, structureVoice, type Voice } from './names.ts';
import { MEETING_PROFILES, type MeetingProfile, type StructureProfile, structureProfile } from './profiles.ts';
import type { DemoKind, Slots, StoryType } from './story.ts';
import {
  ACTIVITIES,
  AUDIENCES,
  COUNTERPARTS,
  DURATIONS,
  GENERAL_AUDIENCES,
  HEAD_COUNTS,
  PRODUCTS,
  SUBTITLES,
  TOPICS,
} from './vocabulary.ts';

/** Stories a press release or news item tells, by who issues it. */
const OPERATIONAL_STORIES: readonly StoryType[] = [
  'training',
  'training',
  'training',
  'meeting',
  'meeting',
  'launch',
  'agreement',
  'handover',
];
const HEADQUARTERS_STORIES: readonly StoryType[] = [
  'meeting',
  'meeting',
  'training',
  'launch',
  'visit',
  'visit',
  'agreement',
];
const LEADERSHIP_STORIES: readonly StoryType[] = ['visit', 'visit', 'meeting', 'meeting', 'launch'];
/** Units that seldom publish (human resources, finance, oversight) hold meetings and publish guides. */
const SUPPORT_STORIES: readonly StoryType[] = ['meeting', 'launch'];
const SUPPORT_WEIGHT = 0.5;
/** Stories about the OSCE's assistance to a State. */
export const SUPPORT_STORY = new Set<StoryType>(['training', 'agreement', 'handover', 'launch']);
/** Stories that need a country to be about. */
export const NEEDS_COUNTRY = new Set<StoryType>(['agreement', 'handover', 'visit', 'welcome']);
/** Stories that take place where the country is, rather than at the structure's seat. */
export const IN_THE_COUNTRY = new Set<StoryType>(['training', 'meeting', 'launch', 'event', 'publication']);

const EQUIPMENT = ['IT equipment', 'office equipment', 'training equipment', 'computers and projectors'];
/** Equipment only some fields of work use (slug). */
const FIELD_EQUIPMENT: Readonly<Record<string, string>> = {
  policing: 'forensic equipment',
  'border-management': 'document inspection equipment',
  'environmental-activities': 'air quality monitoring equipment',
  'countering-terrorism': 'forensic equipment',
  'cyber-ict-security': 'network security equipment',
};
export const START_TIMES: ReadonlyArray<readonly [number, number]> = [
  [9, 0],
  [9, 30],
  [10, 0],
  [14, 0],
];
export const END_TIMES: ReadonlyArray<readonly [number, number]> = [
  [13, 0],
  [16, 0],
  [17, 30],
  [18, 0],
];

const profiles = new WeakMap<StructureNode, StructureProfile>();
/** A structure's profile, looked up once per structure (it is asked many times per document). */
export function profileOf(node: StructureNode): StructureProfile {
  let profile = profiles.get(node);
  if (!profile) {
    profile = structureProfile(node.slug, node.kind);
    profiles.set(node, profile);
  }
  return profile;
}
export const isOperational = (node: StructureNode) => profileOf(node).operational === true;
export const pad = (n: number) => String(n).padStart(2, '0');

/** Structures that publish: not the group headings of the menu. */
function publishingStructures(catalog: Catalog): StructureNode[] {
  return catalog.structures.filter((s) => !s.kind.endsWith('-group'));
}

export function pickWeighted<T>(random: RandomSource, items: readonly T[], weight: (item: T) => number): T {
  let total = 0;
  for (const item of items) total += weight(item);
  let roll = random.next() * total;
  for (const item of items) {
    roll -= weight(item);
    if (roll < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** The taxonomies, prepared once per corpus: who is active when, where cities are. */
export function prepare(catalog: Catalog) {
  const sources = publishingStructures(catalog);
  const fields = catalog.fields.filter((f) => f.kind === 'field');
  const fieldBySlug = new Map(fields.map((f) => [f.slug, f]));
  const participating = catalog.countries.filter((c) => c.role === 'participating');
  const countryOfCity = new Map<string, Country>();
  for (const country of catalog.countries) {
    const city = country.capital?.split(',')[0];
    if (city && !countryOfCity.has(city)) countryOfCity.set(city, country);
  }
  for (const node of sources) {
    const country = node.country_id === null ? undefined : catalog.countryById(node.country_id);
    if (node.seat && country && !countryOfCity.has(node.seat)) countryOfCity.set(node.seat, country);
  }
  const hosts = new Set(
    sources.flatMap((node) => (isOperational(node) && node.country_id !== null ? [node.country_id] : [])),
  );
  const assisted = participating.filter((c) => hosts.has(c.id) || c.slug === 'mongolia');
  const fieldWords = new Map(fields.map((f) => [f.id, fieldInSentence(f.name)]));
  const voices = new Map<number, Voice>(sources.map((node) => [node.id, structureVoice(node)]));
  const chairNode = catalog.structureBySlug('chairpersonship');
  const chairs = new Map<number, ReturnType<typeof chairVoice>>();
  for (const [year, info] of catalog.chairpersonships) if (chairNode) chairs.set(year, chairVoice(chairNode, info));

  const active = (node: StructureNode, year: number, upcoming: boolean) =>
    (node.opened_year ?? 0) <= year &&
    (node.closed_year === null ? true : !upcoming && year <= node.closed_year) &&
    (node.kind !== 'chairpersonship' || chairs.has(year));
  const pools = new Map<string, StructureNode[]>();
  const activeIn = (year: number, upcoming: boolean) => {
    const key = `${year}${upcoming ? '+' : ''}`;
    let pool = pools.get(key);
    if (!pool) {
      pool = sources.filter((node) => active(node, year, upcoming));
      pools.set(key, pool);
    }
    return pool;
  };
  // Cumulative weights per pool, for a quick weighted pick among the structures active in a year.
  const cumulative = new Map<readonly StructureNode[], number[]>();
  const pickActive = (random: RandomSource, year: number, upcoming: boolean): StructureNode => {
    const pool = activeIn(year, upcoming);
    let sums = cumulative.get(pool);
    if (!sums) {
      let total = 0;
      sums = pool.map((node) => {
        total += profileOf(node).weight;
        return total;
      });
      cumulative.set(pool, sums);
    }
    const roll = random.next() * (sums[sums.length - 1] ?? 0);
    let low = 0;
    let high = sums.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((sums[middle] as number) > roll) high = middle;
      else low = middle + 1;
    }
    return pool[low] as StructureNode;
  };
  const voiceOf = (node: StructureNode, year: number): Voice =>
    node.kind === 'chairpersonship' ? (chairs.get(year) as Voice) : (voices.get(node.id) as Voice);
  const meetings = catalog.meetings.flatMap((m) => {
    const profile = MEETING_PROFILES[m.slug];
    return profile ? [{ series: m, profile }] : [];
  });
  return {
    sources,
    fields,
    fieldBySlug,
    fieldWords,
    participating,
    assisted,
    countryOfCity,
    chairs,
    activeIn,
    pickActive,
    voiceOf,
    meetings,
  };
}

export type Prepared = ReturnType<typeof prepare>;

/** The choices that title and body share, drawn afresh for each try at a title. */
export function drawSlots(
  random: RandomSource,
  type: StoryType,
  fields: readonly FieldOfWork[],
  duration?: string,
): Slots {
  // The topics come from the fields of work the structure works on (the first two).
  const [first, second] = fields as [FieldOfWork, FieldOfWork | undefined];
  const topics = TOPICS[first.slug] ?? [fieldText(first.name)];
  const topic = random.pick(topics);
  const topics2 = second ? (TOPICS[second.slug] ?? [fieldText(second.name)]) : topics.filter((t) => t !== topic);
  const audiences = [...new Set([...(AUDIENCES[first.slug] ?? []), ...GENERAL_AUDIENCES])];
  const [audience, audience2] = random.pickSome(audiences, 2, 2) as [string, string];
  return {
    topic,
    topic2: topics2.length > 0 ? random.pick(topics2) : topic,
    audience,
    audience2,
    activity: type === 'training' ? random.pick(['training course', 'workshop', 'seminar']) : random.pick(ACTIVITIES),
    product: random.pick(PRODUCTS),
    duration: duration ?? random.pick(DURATIONS),
    count: random.pick(HEAD_COUNTS),
    counterpart: random.pick(COUNTERPARTS[first.slug] ?? ['Ministry of Foreign Affairs']),
    subtitle: random.pick(SUBTITLES),
    equipment:
      FIELD_EQUIPMENT[first.slug] && random.next() < 0.6
        ? (FIELD_EQUIPMENT[first.slug] as string)
        : random.pick(EQUIPMENT),
  };
}

export function storyType(
  random: RandomSource,
  kind: DemoKind,
  node: StructureNode,
  meeting: boolean,
  observance: boolean,
) {
  if (kind === 'event') return 'event';
  if (kind === 'publication') return 'publication';
  if (kind === 'statement') {
    if (observance) return 'observance';
    if (meeting) return 'remarks';
    // A field operation speaks about its host country; the others also to all participating States.
    return random.pick<StoryType>(
      isOperational(node) ? ['welcome', 'welcome', 'remarks'] : ['welcome', 'call', 'call', 'remarks'],
    );
  }
  if (meeting) return 'series';
  if (node.slug === 'special-monitoring-mission-to-ukraine' && kind === 'news' && random.next() < 0.6) return 'daily';
  if (isOperational(node)) return random.pick(OPERATIONAL_STORIES);
  if (node.kind === 'chairpersonship' || node.slug === 'secretary-general' || node.kind === 'court')
    return random.pick(LEADERSHIP_STORIES);
  if (profileOf(node).weight < SUPPORT_WEIGHT) return random.pick(SUPPORT_STORIES);
  return random.pick(HEADQUARTERS_STORIES);
}

/** Whom a joint document is issued with, the lead first: none, one or two partners active that year. */
export function coIssuers(random: RandomSource, lead: StructureNode, pool: readonly StructureNode[]) {
  const bySlug = (slug: string) => pool.find((node) => node.slug === slug && node.id !== lead.id);
  const roll = random.next();
  let partner: StructureNode | undefined;
  if (roll < 0.45) partner = bySlug('chairpersonship') ?? bySlug('secretariat');
  else if (roll < 0.65 && lead.slug === 'office-for-democratic-institutions-and-human-rights')
    partner = bySlug('parliamentary-assembly');
  else if (roll < 0.65 && lead.slug === 'parliamentary-assembly')
    partner = bySlug('office-for-democratic-institutions-and-human-rights');
  else if (isOperational(lead))
    partner = bySlug(
      random.pick([
        'office-for-democratic-institutions-and-human-rights',
        'high-commissioner-on-national-minorities',
        'representative-on-freedom-of-the-media',
      ]),
    );
  else partner = random.pick(pool.filter((node) => isOperational(node) && node.id !== lead.id));
  if (!partner) return [];
  const third = random.next() < 0.2 ? bySlug('secretariat') : undefined;
  return third && third.id !== partner.id ? [partner, third] : [partner];
}

/** Where a meeting of the series takes place that year, with the country it is in. */
export function meetingCity(
  random: RandomSource,
  prepared: Prepared,
  catalog: Catalog,
  profile: MeetingProfile,
  year: number,
  pool: readonly StructureNode[],
): { city: string; country?: Country } {
  const capitalOf = (country: Country) => ({ city: country.capital?.split(',')[0] ?? 'Vienna', country });
  switch (profile.place) {
    case 'chair': {
      const country = catalog.chairpersonships.get(year)?.country;
      return country ? capitalOf(country) : { city: 'Vienna' };
    }
    case 'mediterranean':
    case 'asian': {
      const partners = catalog.countries.filter(
        (c) => c.role === `${profile.place}-partner` && c.slug !== 'afghanistan' && c.since_year <= year,
      );
      return partners.length > 0 ? capitalOf(random.pick(partners)) : { city: 'Vienna' };
    }
    case 'host': {
      const hosts = pool.filter((node) => isOperational(node) && node.country_id !== null);
      const host = hosts.length > 0 ? random.pick(hosts) : undefined;
      const country = host?.country_id == null ? undefined : catalog.countryById(host.country_id);
      return country ? capitalOf(country) : { city: 'Vienna' };
    }
    default:
      return { city: profile.place, country: prepared.countryOfCity.get(profile.place) };
  }
}

// A realistic, deterministic demo corpus built from the taxonomies, visibly marked as demo.

import { slugFor } from '../documents/slug.ts';
import type { DocumentInput, DocumentWriter } from '../documents/writer.ts';
import type { DocumentKind } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { Catalog, StructureNode } from '../taxonomy/catalog.ts';
import { escapeHtml } from '../text/escape-html.ts';
import { seededRandom } from '../text/random.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Of the events, those dated in the coming months. */
const UPCOMING_EVENT_SHARE = 0.15;
const UPCOMING_DAYS = 120;
/** Of all documents, those issued jointly with the Chairpersonship or the Secretariat. */
const CO_ISSUED_SHARE = 0.06;

/** Where events take place, and the time zone their times are given in. */
const TIME_ZONES: Readonly<Record<string, string>> = {
  Vienna: 'Europe/Vienna',
  Warsaw: 'Europe/Warsaw',
  'The Hague': 'Europe/Amsterdam',
  Copenhagen: 'Europe/Copenhagen',
  Geneva: 'Europe/Zurich',
  Tirana: 'Europe/Tirane',
  Ashgabat: 'Asia/Ashgabat',
  Astana: 'Asia/Almaty',
  Bishkek: 'Asia/Bishkek',
  Sarajevo: 'Europe/Sarajevo',
  Dushanbe: 'Asia/Dushanbe',
  Pristina: 'Europe/Belgrade',
  Chisinau: 'Europe/Chisinau',
  Podgorica: 'Europe/Podgorica',
  Belgrade: 'Europe/Belgrade',
  Skopje: 'Europe/Skopje',
  Tashkent: 'Asia/Tashkent',
};

export interface DemoOptions {
  count: number;
  /** Same seed, same corpus. */
  seed?: number;
  /** "Now" for the corpus: archives end here, upcoming events start after it (the caller's clock). */
  until: Date;
}

const DEMO_FIRST_YEAR = 2005;

const KIND_WEIGHTS: ReadonlyArray<[DocumentKind, number]> = [
  ['press-release', 0.4],
  ['news', 0.25],
  ['statement', 0.15],
  ['event', 0.1],
  ['publication', 0.1],
];

const TITLES: Record<Exclude<DocumentKind, 'page'>, readonly string[]> = {
  'press-release': [
    '{source} supports {country} in strengthening {field}',
    '{country} and the OSCE agree on new steps in {field}',
    'OSCE experts discuss {field} with officials in {place}',
    '{source} concludes regional conference on {field}',
    'OSCE trains practitioners from {country} on {field}',
  ],
  news: [
    'Young professionals from {country} meet in {place} to discuss {field}',
    'New handbook on {field} presented in {place}',
    '{source} marks anniversary with focus on {field}',
    'Field visit in {country} highlights progress in {field}',
  ],
  statement: [
    'Statement by the {source} on {field}',
    'Remarks at the opening of the meeting on {field} in {place}',
    '{source} welcomes {country} commitment on {field}',
  ],
  event: [
    '{meeting}: session on {field}',
    'Expert workshop on {field} in {place}',
    'Round table on {field} and {field2}',
  ],
  publication: [
    'Guidelines on {field} for the OSCE region',
    'Annual report on {field}',
    'Assessment of {field} in {country}',
    'Compendium of good practices in {field}',
  ],
};

const PARAGRAPHS: readonly string[] = [
  'Representatives of government institutions, civil society and international organizations took part in the discussions, which focused on practical measures and on the implementation of OSCE commitments in {field}.',
  '"Our work on {field} is only as strong as the partnerships behind it," said a representative of the {source}. "Today we agreed on concrete next steps that the participants can take home."',
  'The activity is part of a longer-term programme supported by the {source} and carried out in close co-operation with the authorities of {country}.',
  'Participants reviewed recent developments, exchanged experience from across the OSCE region and identified gaps that still persist in policies and practices related to {field2}.',
  'The recommendations will be presented to the Permanent Council and shared with all participating States.',
  'The OSCE has supported efforts in {field} in {country} for many years, working with national institutions, local communities and independent experts.',
];

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** Structures that publish: not the group headings of the menu, nor offices closed before `fromYear`. */
function publishingStructures(catalog: Catalog, fromYear: number): StructureNode[] {
  return catalog.structures.filter((s) => !s.kind.endsWith('-group') && (s.closed_year ?? fromYear) >= fromYear);
}

/**
 * Generates and stores `count` demo documents in one transaction.
 * @example await generateDemoCorpus(store, writer, catalog, { count: 2000 })
 */
export async function generateDemoCorpus(
  store: Store,
  writer: DocumentWriter,
  catalog: Catalog,
  options: DemoOptions,
): Promise<number> {
  const random = seededRandom(options.seed ?? 2026);
  const until = options.until.getTime();
  const earliest = Date.UTC(DEMO_FIRST_YEAR, 0, 1);
  const sources = publishingStructures(catalog, DEMO_FIRST_YEAR);
  const coIssuers = ['chairpersonship', 'secretariat'].flatMap((slug) => catalog.structureBySlug(slug) ?? []);
  const fields = catalog.fields.filter((f) => f.kind === 'field');
  const participating = catalog.countries.filter((c) => c.role === 'participating');
  const usedSlugs = new Set<string>();
  const existing = await store.db.selectFrom('documents').select(['kind', 'slug']).where('is_demo', '=', 1).execute();
  for (const row of existing) usedSlugs.add(`${row.kind}/${row.slug}`);

  const pickKind = (): Exclude<DocumentKind, 'page'> => {
    let roll = random.next();
    for (const [kind, weight] of KIND_WEIGHTS) {
      roll -= weight;
      if (roll <= 0) return kind as Exclude<DocumentKind, 'page'>;
    }
    return 'press-release';
  };

  const inputs: DocumentInput[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const kind = pickKind();
    const source = random.pick(sources);
    const from = Math.max(earliest, source.opened_year ? Date.UTC(source.opened_year, 0, 1) : earliest);
    const to = Math.min(until, source.closed_year ? Date.UTC(source.closed_year, 11, 31) : until);
    // Some events lie ahead: published today, listed as upcoming until they end.
    const upcoming = kind === 'event' && !source.closed_year && random.next() < UPCOMING_EVENT_SHARE;
    const moment = upcoming
      ? new Date(until + (1 + Math.floor(random.next() * UPCOMING_DAYS)) * DAY_MS)
      : new Date(from + Math.floor(random.next() * Math.max(1, to - from)));
    moment.setUTCSeconds(0, 0);
    const chosenFields = random.pickSome(fields, 1, 3);
    const sourceCountry = source.country_id === null ? undefined : catalog.countryById(source.country_id);
    const countries = random.pickSome(participating, 0, 2);
    if (sourceCountry && !countries.includes(sourceCountry)) countries.unshift(sourceCountry);
    const country = countries[0] ?? random.pick(participating);
    const place = source.seat ?? country.capital ?? 'Vienna';
    const meeting = kind === 'event' || random.next() < 0.1 ? random.pick(catalog.meetings) : undefined;
    const values = {
      source: source.name,
      country: country.name,
      place,
      field: lowerFirst(chosenFields[0]?.name ?? 'security'),
      field2: lowerFirst(chosenFields[1]?.name ?? chosenFields[0]?.name ?? 'co-operation'),
      meeting: meeting?.name ?? 'Annual meeting',
    };
    const title = fill(random.pick(TITLES[kind]), values).replace(/^./, (c) => c.toUpperCase());
    let slug = slugFor(title);
    for (let suffix = 2; usedSlugs.has(`${kind}/${slug}`); suffix += 1) slug = `${slugFor(title)}-${suffix}`;
    usedSlugs.add(`${kind}/${slug}`);

    const dateline = `${place.toUpperCase()}, ${moment.getUTCDate()} ${moment.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${moment.getUTCFullYear()}`;
    const lead = `${dateline} – ${fill('The {source} today brought together experts and officials to discuss {field} in {country}.', values)}`;
    const body = [lead, ...random.pickSome(PARAGRAPHS, 3, 5).map((p) => fill(p, values))];
    const timeZone = kind === 'event' ? (TIME_ZONES[place] ?? 'Europe/Vienna') : null;
    if (kind === 'event') {
      moment.setUTCHours(8, 0); // about nine in the morning across the region
      // A past event stays in the past (the hour may have moved it beyond `until`).
      if (!upcoming && moment.getTime() > until) moment.setTime(moment.getTime() - DAY_MS);
    }
    const endsAt =
      kind === 'event'
        ? new Date(
            moment.getTime() + Math.floor(random.next() * 3) * DAY_MS + (7 + Math.floor(random.next() * 3)) * HOUR_MS,
          )
        : null;
    // A joint release: the Chairpersonship or the Secretariat issues it together with the structure.
    const partner =
      random.next() < CO_ISSUED_SHARE ? random.pick(coIssuers.filter((s) => s.id !== source.id)) : undefined;

    inputs.push({
      kind,
      slug,
      title,
      summary: fill('The {source} discussed {field} with partners in {country}.', values),
      bodyHtml: body.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
      datedAt: moment.toISOString(),
      endsAt: endsAt?.toISOString() ?? null,
      timeZone,
      // An archive: it went public on its date (an upcoming event is published now).
      publishedAt: upcoming ? new Date(until).toISOString() : moment.toISOString(),
      place: partner?.seat && partner.seat !== place ? `${place}/${partner.seat}` : place,
      sourceIds: partner ? [source.id, partner.id] : [source.id],
      meetingSeriesId: meeting?.id ?? null,
      status: 'published',
      isDemo: true,
      fieldIds: chosenFields.map((f) => f.id),
      countryIds: countries.map((c) => c.id),
    });
  }

  await store.transaction(async (tx) => {
    for (const input of inputs) await writer.create(tx, input, 'Demo content');
  });
  return inputs.length;
}

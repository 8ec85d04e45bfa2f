// A realistic, deterministic demo corpus built from the taxonomies, visibly marked as demo.
// Each document is a small story: a date, then a structure active that year, its fields of work,
// the countries and place it concerns, sometimes a meeting series or a co-issuer; its title, body
// and summary are written from those facts (src/importers/demo/).

import { slugFor } from '../documents/slug.ts';
import type { DocumentInput, DocumentWriter } from '../documents/writer.ts';
import type { Country, MeetingSeries } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import { escapeHtml } from '../text/escape-html.ts';
import { seededRandom } from '../text/random.ts';
import { composeBody, composeSummary } from './demo/bodies.ts';
import {
  coIssuers,
  drawSlots,
  END_TIMES,
  IN_THE_COUNTRY,
  isOperational,
  meetingCity,
  NEEDS_COUNTRY,
  pad,
  pickWeighted,
  prepare,
  profileOf,
  START_TIMES,
  SUPPORT_STORY,
  storyType,
} from './demo/choices.ts';
import { capitalize, countryText, fieldInSentence, zonedMoment } from './demo/names.ts';
import type { MeetingProfile } from './demo/profiles.ts';
import { type DemoKind, drawTitle, repeatsPhrase, type Story } from './demo/story.ts';
import { DURATIONS, LOCAL_LANGUAGES, MONTHS, OBSERVANCES, REGIONS, TIME_ZONES } from './demo/vocabulary.ts';

const DAY_MS = 86_400_000;
/** Of the events, those dated in the coming months. */
const UPCOMING_EVENT_SHARE = 0.15;
const UPCOMING_DAYS = 120;
/** Of all documents, those issued jointly by several structures. */
const CO_ISSUED_SHARE = 0.06;
/** Of the events (and of the other kinds), those that belong to a meeting series. */
const EVENT_MEETING_SHARE = 0.4;
const OTHER_MEETING_SHARE = 0.07;
/** Of the statements, those made on an international day. */
const OBSERVANCE_SHARE = 0.3;
/** Tries at a title no other document has before one is accepted anyway. */
const TITLE_TRIES = 12;

export interface DemoOptions {
  count: number;
  /** Same seed, same corpus. */
  seed?: number;
  /** "Now" for the corpus: archives end here, upcoming events start after it (the caller's clock). */
  until: Date;
}

const DEMO_FIRST_YEAR = 2005;

const KIND_WEIGHTS: ReadonlyArray<[DemoKind, number]> = [
  ['press-release', 0.4],
  ['news', 0.25],
  ['statement', 0.15],
  ['event', 0.1],
  ['publication', 0.1],
];

/**
 * Writes `count` demo documents' inputs, without storing them: titles distinct where the
 * vocabulary allows, slugs unique per kind (also against `takenSlugs`, "kind/slug").
 * @example composeDemoCorpus(catalog, { count: 10, until: new Date() }).map((d) => d.title)
 */
export function composeDemoCorpus(
  catalog: Catalog,
  options: DemoOptions,
  takenSlugs: ReadonlySet<string> = new Set(),
): DocumentInput[] {
  const random = seededRandom(options.seed ?? 2026);
  const prepared = prepare(catalog);
  const until = options.until.getTime();
  const untilDay = Math.floor(until / DAY_MS);
  const earliestDay = Math.floor(Date.UTC(DEMO_FIRST_YEAR, 0, 1) / DAY_MS);
  const usedSlugs = new Set(takenSlugs);
  const usedTitles = new Set<string>();
  const inputs: DocumentInput[] = [];

  for (let index = 0; index < options.count; index += 1) {
    const kind = pickWeighted(random, KIND_WEIGHTS, ([, weight]) => weight)[0];
    // Some events lie ahead: published today, listed as upcoming until they end.
    const upcoming = kind === 'event' && random.next() < UPCOMING_EVENT_SHARE;

    // 1. When. Past events end before `until` (at most four days long, in any time zone).
    const day = upcoming
      ? untilDay + 1 + Math.floor(random.next() * UPCOMING_DAYS)
      : earliestDay + Math.floor(random.next() * Math.max(1, untilDay - (kind === 'event' ? 5 : 0) - earliestDay + 1));
    const date = new Date(day * DAY_MS);
    let year = date.getUTCFullYear();
    let month = date.getUTCMonth();
    let dayOfMonth = date.getUTCDate();
    // A date moved to a meeting's month or an international day must lie wholly before `until`.
    const fits = (y: number, m: number, d: number) =>
      y >= DEMO_FIRST_YEAR && Date.UTC(y, m, d) + (kind === 'event' ? 5 : 1) * DAY_MS <= until;

    let meeting: { series: MeetingSeries; profile: MeetingProfile } | undefined;
    if (random.next() < (kind === 'event' ? EVENT_MEETING_SHARE : kind === 'publication' ? 0 : OTHER_MEETING_SHARE)) {
      meeting = random.pick(prepared.meetings);
      const years = meeting.profile.years;
      if (years) {
        const chosen = random.pick(years);
        if (upcoming ? chosen !== year : !fits(chosen, meeting.profile.month ?? month, 1)) meeting = undefined;
        else year = chosen;
      }
      if (meeting?.profile.month !== undefined && !upcoming) {
        const d = 1 + Math.floor(random.next() * 28);
        const y = fits(year, meeting.profile.month, d) ? year : year - 1;
        if (fits(y, meeting.profile.month, d)) [year, month, dayOfMonth] = [y, meeting.profile.month, d];
        else meeting = undefined;
      }
    }
    let observance: (typeof OBSERVANCES)[number] | undefined;
    if (kind === 'statement' && !meeting && random.next() < OBSERVANCE_SHARE) {
      observance = random.pick(OBSERVANCES);
      const y = fits(year, observance.month, observance.day) ? year : year - 1;
      if (fits(y, observance.month, observance.day)) [year, month, dayOfMonth] = [y, observance.month, observance.day];
      else observance = undefined;
    }
    // An event on 1 January could begin on 31 December in UTC far to the east: keep its year whole.
    if (kind === 'event' && month === 0 && dayOfMonth === 1) dayOfMonth = 2;
    // Other documents are dated in office hours (UTC); on the last day, not beyond `until`.
    let datedAt = Date.UTC(year, month, dayOfMonth, 8 + Math.floor(random.next() * 8), random.pick([0, 15, 30, 45]));
    if (kind !== 'event' && datedAt > until) {
      datedAt -= DAY_MS;
      const earlier = new Date(datedAt);
      [year, month, dayOfMonth] = [earlier.getUTCFullYear(), earlier.getUTCMonth(), earlier.getUTCDate()];
    }

    // 2. Who: a structure active that year (a closed office never has upcoming events).
    const pool = prepared.activeIn(year, upcoming);
    let candidates = pool;
    if (meeting) {
      const wanted = meeting.profile.sources.flatMap((slug) =>
        slug === 'host'
          ? pool.filter((node) => isOperational(node) || node.kind === 'institution')
          : pool.filter((node) => node.slug === slug),
      );
      if (wanted.length > 0) candidates = random.next() < 0.5 ? wanted.slice(0, 1) : wanted;
      else meeting = undefined;
    }
    const source =
      candidates === pool
        ? prepared.pickActive(random, year, upcoming)
        : pickWeighted(random, candidates, (node) => profileOf(node).weight);
    const profile = profileOf(source);
    const type = storyType(random, kind, source, meeting !== undefined, observance !== undefined);

    // 3. On what: the structure's fields of work, the meeting's or the day's first.
    const own = (meeting?.profile.fields.length ? meeting.profile.fields : profile.fields) ?? [];
    const affinity = own.flatMap((slug) => prepared.fieldBySlug.get(slug) ?? []);
    const chosenFields = random.pickSome(affinity.length > 0 ? affinity : prepared.fields, 1, 2);
    const topicFields = [...chosenFields];
    if (random.next() < 0.2) {
      const extra = random.pick(prepared.fields);
      if (!chosenFields.includes(extra)) chosenFields.push(extra);
    }
    const observed = observance && prepared.fieldBySlug.get(observance.field);
    if (observed) {
      const at = chosenFields.indexOf(observed);
      if (at !== -1) chosenFields.splice(at, 1);
      chosenFields.unshift(observed);
      topicFields.unshift(observed);
    }

    // 4. Where, and which countries it concerns.
    const hostCountry = source.country_id === null ? undefined : catalog.countryById(source.country_id);
    let subject: Country | undefined;
    let city: string;
    let meetingCountry: Country | undefined;
    if (meeting) {
      const met = meetingCity(random, prepared, catalog, meeting.profile, year, pool);
      city = met.city;
      meetingCountry = met.country;
      if (meeting.profile.place !== 'Vienna' && meeting.profile.place !== 'Warsaw') subject = met.country;
    } else if (isOperational(source)) {
      subject = hostCountry;
      city = source.seat ?? hostCountry?.capital?.split(',')[0] ?? 'Vienna';
    } else {
      // The Chairpersonship hosts meetings at home; it visits, and speaks about, other States.
      const chairCountry = source.kind === 'chairpersonship' ? catalog.chairpersonships.get(year)?.country : null;
      if (chairCountry && IN_THE_COUNTRY.has(type) && random.next() < 0.5) subject = chairCountry;
      else if (NEEDS_COUNTRY.has(type) || random.next() < 0.7) {
        // Assistance goes mostly to the States that host (or hosted) field operations.
        const assisted = SUPPORT_STORY.has(type) || random.next() < 0.6;
        subject = random.pick(assisted ? prepared.assisted : prepared.participating.filter((c) => c !== chairCountry));
      }
      const abroad =
        subject &&
        (type === 'visit' || ((IN_THE_COUNTRY.has(type) || type === 'agreement') && random.next() < 0.55)) &&
        subject.capital;
      city = abroad ? (subject?.capital?.split(',')[0] ?? 'Vienna') : (source.seat ?? 'Vienna');
    }
    const placeCountry = meetingCountry ?? prepared.countryOfCity.get(city);
    // Experts from a second country come to gatherings, and help write publications.
    const second = IN_THE_COUNTRY.has(type) && random.next() < 0.25 ? random.pick(prepared.participating) : undefined;
    const country2 = second && second !== subject && second !== placeCountry ? second : undefined;
    const countries = [...new Set([placeCountry, subject, country2].filter((c): c is Country => c !== undefined))];

    // 5. With whom: a few documents are issued jointly, the lead first.
    const partners =
      type !== 'daily' && type !== 'observance' && random.next() < CO_ISSUED_SHARE
        ? coIssuers(random, source, pool)
        : [];
    const partnerSeat = partners.find((p) => p.seat && p.seat !== city)?.seat;
    const place = partnerSeat ? `${city}/${partnerSeat}` : city;

    // 6. An event's times, in its place's time zone.
    const timeZone = kind === 'event' ? (TIME_ZONES[placeCountry?.slug ?? ''] ?? 'Europe/Vienna') : null;
    let endsAt: number | null = null;
    let startTime: string | undefined;
    let endDate: string | undefined;
    const duration = kind === 'event' ? random.pick(DURATIONS) : undefined;
    if (timeZone && duration) {
      const [hour, minute] = random.pick(START_TIMES);
      const extraDays = DURATIONS.indexOf(duration);
      let [endHour, endMinute] = random.pick(END_TIMES);
      if (extraDays === 0 && hour >= 13) [endHour, endMinute] = [18, 0];
      datedAt = zonedMoment(timeZone, year, month, dayOfMonth, hour, minute);
      if (upcoming && datedAt <= until) {
        // Far to the east, the first day's morning can still be before `until`: a day later.
        const next = new Date(Date.UTC(year, month, dayOfMonth + 1));
        [year, month, dayOfMonth] = [next.getUTCFullYear(), next.getUTCMonth(), next.getUTCDate()];
        datedAt = zonedMoment(timeZone, year, month, dayOfMonth, hour, minute);
      }
      const end = new Date(Date.UTC(year, month, dayOfMonth + extraDays));
      endsAt = zonedMoment(timeZone, end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate(), endHour, endMinute);
      if (endsAt <= datedAt) endsAt = datedAt + 4 * 3_600_000;
      startTime = `${pad(hour)}:${pad(minute)}`;
      if (extraDays > 0) endDate = `${end.getUTCDate()} ${MONTHS[end.getUTCMonth()]} ${end.getUTCFullYear()}`;
    }

    // 7. The words: a title no other document has, then the body and summary from the same facts.
    const lead = prepared.voiceOf(source, year);
    const where = source.territory ?? (subject ? countryText(subject) : 'the OSCE region');
    const story: Story = {
      kind,
      type,
      random,
      year,
      month,
      day: dayOfMonth,
      city,
      place,
      lead,
      partners: partners.map((p) => prepared.voiceOf(p, year)),
      chair: prepared.chairs.get(year),
      fields: chosenFields.map((f) => prepared.fieldWords.get(f.id) ?? fieldInSentence(f.name)),
      // Kosovo is named as the taxonomy's territory, though tagged with its country.
      country: source.territory ?? (subject ? countryText(subject) : undefined),
      country2: country2 ? countryText(country2) : undefined,
      where,
      region: REGIONS[subject?.slug ?? ''] ?? 'the OSCE region',
      meeting: meeting && {
        name: meeting.profile.name(year, random.next, REGIONS[subject?.slug ?? ''] ?? 'Central Asia'),
        regular: meeting.profile.regular === true,
      },
      observance: observance?.name,
      opened: isOperational(source) ? (source.opened_year ?? undefined) : undefined,
      languages: isOperational(source) ? LOCAL_LANGUAGES[hostCountry?.slug ?? ''] : undefined,
      startTime,
      endDate,
      slots: drawSlots(random, type, topicFields, duration),
    };
    let title: string | null = null;
    let fallback: string | null = null;
    for (let attempt = 0; attempt < TITLE_TRIES && title === null; attempt += 1) {
      if (attempt > 0) story.slots = drawSlots(random, type, topicFields, duration);
      const drawn = drawTitle(story);
      if (drawn === null || repeatsPhrase(drawn)) continue;
      fallback ??= drawn;
      if (!usedTitles.has(drawn)) title = drawn;
    }
    // The vocabulary ran out for this story: a title seen before, or one naming the topic plainly.
    title ??=
      fallback ??
      [`${lead.title}: ${story.slots.topic}`, `${capitalize(story.slots.topic)}: ${MONTHS[month]} ${year}`].find(
        (candidate) => !repeatsPhrase(candidate),
      ) ??
      lead.title;
    usedTitles.add(title);
    const body = composeBody(story);

    let slug = slugFor(title);
    for (let suffix = 2; usedSlugs.has(`${kind}/${slug}`); suffix += 1) slug = `${slugFor(title)}-${suffix}`;
    usedSlugs.add(`${kind}/${slug}`);

    inputs.push({
      kind,
      slug,
      title,
      summary: composeSummary(story),
      bodyHtml: body.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
      datedAt: new Date(datedAt).toISOString(),
      endsAt: endsAt === null ? null : new Date(endsAt).toISOString(),
      timeZone,
      // An archive: it went public on its date (an upcoming event is published now).
      publishedAt: new Date(upcoming ? until : datedAt).toISOString(),
      place,
      sourceIds: [source.id, ...partners.map((p) => p.id)],
      meetingSeriesId: meeting?.series.id ?? null,
      status: 'published',
      isDemo: true,
      fieldIds: chosenFields.map((f) => f.id),
      countryIds: countries.map((c) => c.id),
    });
  }
  return inputs;
}

/**
 * Generates and stores `count` demo documents in one transaction.
 * @example await generateDemoCorpus(store, writer, catalog, { count: 2000, until: new Date() })
 */
export async function generateDemoCorpus(
  store: Store,
  writer: DocumentWriter,
  catalog: Catalog,
  options: DemoOptions,
): Promise<number> {
  const existing = await store.db.selectFrom('documents').select(['kind', 'slug']).where('is_demo', '=', 1).execute();
  const inputs = composeDemoCorpus(catalog, options, new Set(existing.map((row) => `${row.kind}/${row.slug}`)));
  await store.transaction(async (tx) => {
    for (const input of inputs) await writer.create(tx, input, 'Demo content');
  });
  return inputs.length;
}

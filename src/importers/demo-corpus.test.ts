import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { findVisibleDocumentById, upcomingEvents } from '../documents/reader.ts';
import type { DocumentInput } from '../documents/writer.ts';
import { htmlToText } from '../search/text.ts';
import type { Db } from '../store/store.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { fieldText } from './demo/names.ts';
import { MONTHS, OBSERVANCES } from './demo/vocabulary.ts';
import { composeDemoCorpus, generateDemoCorpus } from './demo-corpus.ts';

const COUNT = 600;
/** The archive a newcomer browses is judged at this size too. */
const LARGE = 10_000;
const SEED = 7;
const UNTIL = new Date('2026-06-30T00:00:00Z');
const UNTIL_ISO = UNTIL.toISOString();
const DAY_MS = 86_400_000;

/** Every demo document with its sources (lead first), in creation order. */
async function demoDocuments(db: Db) {
  const rows = await db
    .selectFrom('documents')
    .select([
      'id',
      'kind',
      'slug',
      'title',
      'dated_at',
      'ends_at',
      'time_zone',
      'place',
      'publish_at',
      'published_at',
      'permalink',
      'is_demo',
      'status',
      'body_html',
    ])
    .where('is_demo', '=', 1)
    .orderBy('id')
    .execute();
  const sources = await db
    .selectFrom('document_sources')
    .select(['document_id', 'structure_id'])
    .orderBy('document_id')
    .orderBy('position')
    .execute();
  const byDocument = new Map<number, number[]>();
  for (const { document_id, structure_id } of sources) {
    byDocument.set(document_id, [...(byDocument.get(document_id) ?? []), structure_id]);
  }
  return rows.map((row) => ({ ...row, sourceIds: byDocument.get(row.id) ?? [] }));
}

type Demo = Awaited<ReturnType<typeof demoDocuments>>[number];

/** The local calendar date of a moment in a zone (UTC without one), as a dateline gives it. */
function localDate(iso: string, timeZone: string | null): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone ?? 'UTC',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(iso));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month') - 1, day: part('day') };
}

const localHour = (iso: string, timeZone: string) =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(new Date(iso)));

const FUNCTION_WORDS = new Set(['the', 'of', 'on', 'in', 'and', 'for', 'to', 'at', 'a', 'with', 'from', 'by']);

/** The two-word phrases a title says more than once (pairs of function words aside). */
function repeatedPhrases(title: string): string[] {
  const words = title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (let i = 0; i + 1 < words.length; i += 1) {
    const pair = `${words[i]} ${words[i + 1]}`;
    if (FUNCTION_WORDS.has(words[i] as string) && FUNCTION_WORDS.has(words[i + 1] as string)) continue;
    if (seen.has(pair)) repeated.push(pair);
    seen.add(pair);
  }
  return repeated;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Every spelling of `name` in `text`, whatever its case, as written there. */
function spellings(text: string, name: string): string[] {
  return [...text.matchAll(new RegExp(`(?<![\\p{L}-])${escapeRegExp(name)}(?![\\p{L}-])`, 'giu'))].map((m) => m[0]);
}

describe('generateDemoCorpus', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  let docs: Demo[];

  const isUpcoming = (doc: Demo) => doc.dated_at > UNTIL_ISO;

  beforeAll(async () => {
    // The writer's clock stands at `until`, as in setup: the corpus is generated "now".
    testStore = await buildTestStore({ clock: () => UNTIL });
    catalog = await loadCatalog(testStore.store.db);
    expect(
      await generateDemoCorpus(testStore.store, testStore.writer, catalog, { count: COUNT, seed: SEED, until: UNTIL }),
    ).toBe(COUNT);
    docs = await demoDocuments(testStore.store.db);
  });
  afterAll(() => testStore.cleanup());

  it('makes the number asked, all published, marked as demo, each with an address', () => {
    expect(docs).toHaveLength(COUNT);
    expect(docs.filter((d) => d.status !== 'published' || d.is_demo !== 1 || d.permalink === null)).toEqual([]);
  });

  it('spreads over every listed kind and many sources, fields and years', async () => {
    expect(new Set(docs.map((d) => d.kind))).toEqual(
      new Set(['press-release', 'news', 'statement', 'event', 'publication']),
    );
    expect(new Set(docs.map((d) => d.sourceIds[0])).size).toBeGreaterThan(25);
    expect(new Set(docs.map((d) => d.dated_at.slice(0, 4))).size).toBeGreaterThanOrEqual(20);
    const fields = await testStore.store.db.selectFrom('document_fields').select('field_id').distinct().execute();
    expect(fields.length).toBeGreaterThanOrEqual(20);
  });

  it('dates each document within every source’s years and the corpus bounds, closed offices included', () => {
    let closedOffices = 0;
    for (const doc of docs) {
      const year = Number(doc.dated_at.slice(0, 4));
      expect(year).toBeGreaterThanOrEqual(2005);
      for (const sourceId of doc.sourceIds) {
        const source = catalog.structureById(sourceId);
        expect(source, String(sourceId)).toBeDefined();
        expect(year, source?.name).toBeGreaterThanOrEqual(source?.opened_year ?? 0);
        if (source?.closed_year) {
          closedOffices += 1;
          expect(year, source.name).toBeLessThanOrEqual(source.closed_year);
          expect(isUpcoming(doc), source.name).toBe(false);
        }
      }
      if (!isUpcoming(doc)) expect(doc.dated_at <= UNTIL_ISO, doc.dated_at).toBe(true);
    }
    // The check above must have met closed field operations to mean anything.
    expect(closedOffices).toBeGreaterThan(10);
  });

  it('dates some events in the 120 days after `until`, published now and visible as upcoming', async () => {
    const events = docs.filter((d) => d.kind === 'event');
    const upcoming = events.filter(isUpcoming);
    expect(docs.filter(isUpcoming).every((d) => d.kind === 'event')).toBe(true);
    // About 15% of the events.
    expect(upcoming.length).toBeGreaterThanOrEqual(Math.ceil(events.length * 0.05));
    expect(upcoming.length).toBeLessThanOrEqual(Math.ceil(events.length * 0.3));
    for (const event of upcoming) {
      expect(Date.parse(event.dated_at) - UNTIL.getTime()).toBeLessThanOrEqual(121 * DAY_MS);
      expect(event).toMatchObject({ status: 'published', publish_at: null, published_at: UNTIL_ISO });
      expect((await findVisibleDocumentById(testStore.store.db, event.id, UNTIL_ISO))?.id).toBe(event.id);
    }
    const listed = await upcomingEvents(testStore.store.db, UNTIL_ISO, 1_000);
    const listedIds = new Set(listed.map((e) => e.id));
    expect(upcoming.filter((e) => !listedIds.has(e.id))).toEqual([]);
    expect(listed.filter((e) => e.is_demo === 1 && e.dated_at > UNTIL_ISO)).toHaveLength(upcoming.length);
    // A past event is over by `until`: the upcoming list holds only the events made to lie ahead.
    expect(listed.filter((e) => e.is_demo === 1)).toHaveLength(upcoming.length);
  });

  it('gives every event a time zone, a start in the local working day and an end after it, and no other kind either', () => {
    for (const doc of docs) {
      if (doc.kind !== 'event') {
        expect({ time_zone: doc.time_zone, ends_at: doc.ends_at }, doc.slug).toEqual({
          time_zone: null,
          ends_at: null,
        });
        continue;
      }
      expect(doc.time_zone, doc.slug).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: doc.time_zone ?? '' })).not.toThrow();
      expect((doc.ends_at ?? '') > doc.dated_at, doc.slug).toBe(true);
      expect(Date.parse(doc.ends_at ?? '') - Date.parse(doc.dated_at), doc.slug).toBeLessThan(5 * DAY_MS);
      const start = localHour(doc.dated_at, doc.time_zone ?? '');
      expect(start >= 9 && start <= 14, `${doc.slug} starts at ${start}:00 local time`).toBe(true);
      expect(localHour(doc.ends_at ?? '', doc.time_zone ?? ''), doc.slug).toBeLessThanOrEqual(18);
    }
  });

  it('co-issues some documents: several sources, the lead first, each named and active that year', () => {
    const coIssued = docs.filter((d) => d.sourceIds.length > 1);
    // About 6% of the documents.
    expect(coIssued.length).toBeGreaterThanOrEqual(Math.ceil(COUNT * 0.02));
    expect(coIssued.length).toBeLessThanOrEqual(Math.ceil(COUNT * 0.12));
    for (const doc of coIssued) {
      expect(doc.sourceIds.length, doc.slug).toBeLessThanOrEqual(3);
      expect(new Set(doc.sourceIds).size, doc.slug).toBe(doc.sourceIds.length);
      const [lead, ...partners] = doc.sourceIds.map((id) => catalog.structureById(id));
      // The dateline's first city is where the lead is; a second one is a partner's seat.
      const [, second] = doc.place?.split('/') ?? [];
      if (second)
        expect(
          partners.map((p) => p?.seat),
          doc.slug,
        ).toContain(second);
      const text = htmlToText(doc.body_html);
      for (const partner of partners) {
        const named = partner?.kind === 'chairpersonship' ? /OSCE Chair(man|person)ship/ : (partner?.name ?? '');
        expect(text, `${doc.slug}: ${partner?.name}`).toMatch(named);
      }
      expect(lead?.id).toBe(doc.sourceIds[0]);
    }
  });

  it('gives unique slugs per kind, and opens each body with the dateline of its place and local date', () => {
    expect(new Set(docs.map((d) => `${d.kind}/${d.slug}`)).size).toBe(docs.length);
    for (const doc of docs) {
      const { year, month, day } = localDate(doc.dated_at, doc.time_zone);
      const dateline = `${(doc.place ?? '').toUpperCase()}, ${day} ${MONTHS[month]} ${year} – `;
      expect(doc.body_html.startsWith(`<p>${dateline}`), `${doc.slug}: ${doc.body_html.slice(0, 60)}`).toBe(true);
      expect(doc.body_html).toMatch(/^<p>[A-ZÀ-Ž .'/-]+, \d{1,2} [A-Z][a-z]+ \d{4} – /);
    }
  });

  it('is deterministic for a seed, and differs for another', async () => {
    const fingerprint = (rows: Demo[]) =>
      rows.map((d) =>
        [d.kind, d.title, d.dated_at, d.ends_at, d.time_zone, d.place, d.sourceIds.join(','), d.body_html].join('|'),
      );
    const again = async (seed: number) => {
      const other = await buildTestStore({ clock: () => UNTIL });
      try {
        const otherCatalog = await loadCatalog(other.store.db);
        await generateDemoCorpus(other.store, other.writer, otherCatalog, { count: COUNT, seed, until: UNTIL });
        return fingerprint(await demoDocuments(other.store.db));
      } finally {
        await other.cleanup();
      }
    };
    expect(await again(SEED)).toEqual(fingerprint(docs));
    expect(await again(SEED + 1)).not.toEqual(fingerprint(docs));
  });

  describe(`at ${LARGE.toLocaleString('en-GB')} documents`, () => {
    let large: DocumentInput[];
    /** Title, summary and body as a reader reads them, without the dateline's capitals. */
    const texts = new WeakMap<DocumentInput, string>();
    const text = (doc: DocumentInput) => {
      let words = texts.get(doc);
      if (words === undefined) {
        const body = htmlToText(doc.bodyHtml).replace(/^[A-ZÀ-Ž .'/-]+, \d{1,2} [A-Z][a-z]+ \d{4} – /, '');
        words = `${doc.title}\n${doc.summary ?? ''}\n${body}`;
        texts.set(doc, words);
      }
      return words;
    };
    const yearOf = (doc: DocumentInput) => Number(doc.datedAt.slice(0, 4));

    beforeAll(() => {
      large = composeDemoCorpus(catalog, { count: LARGE, until: UNTIL });
    });

    it('gives at least 99 % of the documents a title of their own', () => {
      expect(large).toHaveLength(LARGE);
      const distinct = new Set(large.map((d) => d.title)).size;
      expect(distinct / LARGE, `${distinct} distinct titles`).toBeGreaterThanOrEqual(0.99);
    });

    it('never says the same phrase twice in a title (regression: "Round table on border management and border management")', () => {
      expect(repeatedPhrases('Round table on border management and border management')).toEqual(['border management']);
      expect(large.filter((d) => repeatedPhrases(d.title).length > 0).map((d) => d.title)).toEqual([]);
      const fields = catalog.fields.map((f) => f.name);
      expect(large.filter((d) => fields.some((name) => spellings(d.title, name).length > 1))).toEqual([]);
    });

    it('publishes for each structure only within the years the taxonomy gives it, closed field operations too', () => {
      const closed = new Map<number, number>();
      for (const doc of large) {
        const year = yearOf(doc);
        for (const id of doc.sourceIds ?? []) {
          const source = catalog.structureById(id);
          expect(source?.kind.endsWith('-group'), source?.name).toBe(false);
          if (source?.opened_year) expect(year, source.name).toBeGreaterThanOrEqual(source.opened_year);
          if (source?.closed_year) {
            expect(year, source.name).toBeLessThanOrEqual(source.closed_year);
            expect(doc.datedAt <= UNTIL_ISO, source.name).toBe(true);
            closed.set(id, (closed.get(id) ?? 0) + 1);
          }
        }
      }
      // Every closed field operation active after 2005 has its archive: Georgia, Minsk, Croatia...
      const expected = catalog.structures.filter(
        (s) => s.kind === 'closed-field-operation' && (s.closed_year ?? 0) >= 2005,
      );
      expect(expected.filter((s) => !closed.has(s.id)).map((s) => s.name)).toEqual([]);
    });

    it('names each year’s Chairpersonship as the taxonomy does, and none for a year it does not cover', () => {
      const years = new Set<number>();
      for (const doc of large) {
        const chair = catalog.chairpersonshipAt(new Date(doc.datedAt));
        const words = text(doc);
        const mentions = [...words.matchAll(/ ?OSCE (Chairmanship|Chairpersonship)\b/g)].map(
          (m) => [m[0], words.slice(Math.max(0, (m.index ?? 0) - 30), m.index), m[1]] as const,
        );
        const offices = [...words.matchAll(/\b(Chairman|Chairperson)-in-Office\b/g)].map((m) => m[1]);
        if (!chair) {
          expect({ mentions: mentions.length, offices: offices.length }, doc.title).toEqual({
            mentions: 0,
            offices: 0,
          });
          continue;
        }
        for (const [, before, title] of mentions) {
          expect(title, doc.title).toBe(chair.title);
          expect(before?.endsWith(chair.adjective), `${doc.title}: "${before}"`).toBe(true);
          years.add(chair.year);
        }
        for (const office of offices) expect(`${office}ship`, doc.title).toBe(chair.title);
        for (const [, title] of words.matchAll(/\bthe (Chairmanship|Chairpersonship)\b/g))
          expect(title, doc.title).toBe(chair.title);
        const ministers = words.split('Foreign Minister of ').length - 1;
        const state = chair.country?.name ?? chair.country_name;
        expect(words.split(`Foreign Minister of ${state}`).length - 1, doc.title).toBe(ministers);
      }
      expect(years.size).toBeGreaterThanOrEqual(18);
      const inYear = (year: number, phrase: string) =>
        large.some((d) => yearOf(d) === year && text(d).includes(phrase));
      expect(inYear(2025, 'the Finnish OSCE Chairpersonship')).toBe(true);
      expect(inYear(2007, 'Spanish OSCE Chairmanship')).toBe(true);

      // A year the taxonomy does not cover yet: its documents name no Chairpersonship, nor issue under it.
      const ahead = composeDemoCorpus(catalog, { count: 3000, until: new Date('2027-04-01T00:00:00Z') });
      const uncovered = ahead.filter((d) => !catalog.chairpersonshipAt(new Date(d.datedAt)));
      expect(uncovered.length).toBeGreaterThan(10);
      const chairId = catalog.structureBySlug('chairpersonship')?.id;
      for (const doc of uncovered) {
        expect(text(doc), doc.title).not.toMatch(/Chair(man|person)(ship|-in-Office)/);
        expect(doc.sourceIds, doc.title).not.toContain(chairId);
      }
    });

    it('writes events with a start, an end and a time zone, some in the coming months', () => {
      const events = large.filter((d) => d.kind === 'event');
      for (const event of events) {
        expect(event.timeZone, event.title).toBeTruthy();
        expect((event.endsAt ?? '') > event.datedAt, event.title).toBe(true);
      }
      const upcoming = events.filter((e) => e.datedAt > UNTIL_ISO);
      expect(upcoming.length / events.length).toBeGreaterThan(0.08);
      expect(upcoming.every((e) => Date.parse(e.datedAt) - UNTIL.getTime() <= 121 * DAY_MS)).toBe(true);
      expect(large.filter((d) => d.kind !== 'event' && d.datedAt > UNTIL_ISO)).toEqual([]);
    });

    it('co-issues a share of the documents with two or three sources', () => {
      const coIssued = large.filter((d) => (d.sourceIds?.length ?? 0) > 1);
      expect(coIssued.length / LARGE).toBeGreaterThan(0.03);
      expect(coIssued.length / LARGE).toBeLessThan(0.1);
      expect(coIssued.some((d) => d.sourceIds?.length === 3)).toBe(true);
      // Not only with the Chairpersonship or the Secretariat: field operations with institutions too.
      expect(new Set(coIssued.map((d) => d.sourceIds?.[1])).size).toBeGreaterThan(5);
    });

    it('writes bodies of varied length and structure, quoting offices rather than people', () => {
      const words = large.map((d) => htmlToText(d.bodyHtml).split(/\s+/).length);
      const mean = words.reduce((a, b) => a + b, 0) / words.length;
      const deviation = Math.sqrt(words.reduce((a, b) => a + (b - mean) ** 2, 0) / words.length);
      expect(Math.min(...words)).toBeLessThan(60);
      expect(Math.max(...words)).toBeGreaterThan(180);
      expect(deviation).toBeGreaterThan(20);
      const paragraphs = new Set(large.map((d) => d.bodyHtml.split('<p>').length - 1));
      expect(paragraphs.size).toBeGreaterThanOrEqual(5);
      // How the lead opens after the dateline, names and numbers aside: many ways, none dominant.
      const names = catalog.structures.flatMap((s) => [s.name, ...s.aliasList]).sort((a, b) => b.length - a.length);
      const openings = new Map<string, number>();
      for (const doc of large) {
        let lead = htmlToText(doc.bodyHtml).split(' – ')[1] ?? '';
        for (const name of names) if (lead.includes(name)) lead = lead.split(name).join('X');
        const opening = lead
          .replace(/^(The|the) X( \(\w+\))?/, 'X')
          .split(' ')
          .slice(0, 3)
          .join(' ');
        openings.set(opening, (openings.get(opening) ?? 0) + 1);
      }
      expect(openings.size).toBeGreaterThan(30);
      expect(Math.max(...openings.values()) / LARGE).toBeLessThan(0.25);
      // Quotes: in many documents, each attributed to an office ("said the Head of Mission").
      const quoted = large.filter((d) => htmlToText(d.bodyHtml).includes('"'));
      expect(quoted.length / LARGE).toBeGreaterThan(0.3);
      for (const doc of quoted) {
        for (const [, who] of htmlToText(doc.bodyHtml).matchAll(/[,.]" (?:said )?(\S+)/g))
          expect(['the', 'a'], `${doc.title}: ${who}`).toContain(who);
      }
      expect(new Set(large.map((d) => d.summary)).size / LARGE).toBeGreaterThan(0.9);
    });

    it('writes the taxonomy’s names exactly: structures, countries, and fields of work cased for running text', () => {
      expect(fieldText('Cyber/ICT Security')).toBe('cyber/ICT security');
      expect(fieldText('Roma and Sinti')).toBe('Roma and Sinti');
      expect(fieldText('Reform and co-operation in the security sector')).toBe(
        'reform and co-operation in the security sector',
      );
      const structures = catalog.structures.filter((s) => !s.kind.endsWith('-group'));
      // Proper names that hold a field's words in capitals ("Human Rights Day", the ODIHR's name).
      const proper = [
        ...structures.flatMap((s) => [...s.aliasList, s.name]),
        ...catalog.meetings.map((m) => m.name),
        ...OBSERVANCES.map((o) => o.name),
        'Gender Equality Review Conference',
      ].sort((a, b) => b.length - a.length);
      // Every spelling of a name, whatever its case, must be one the taxonomy allows.
      const allowedBy = (names: ReadonlyArray<readonly [string, readonly string[]]>) => {
        const byLower = new Map(names.map(([name, allowed]) => [name.toLowerCase(), allowed]));
        const alternatives = names.map(([name]) => escapeRegExp(name)).sort((a, b) => b.length - a.length);
        return { byLower, pattern: new RegExp(`(?<![\\p{L}-])(?:${alternatives.join('|')})(?![\\p{L}-])`, 'giu') };
      };
      const exact = allowedBy(
        [...structures.map((s) => s.name), ...catalog.countries.map((c) => c.name)].map((n) => [n, [n]] as const),
      );
      const fields = allowedBy(catalog.fields.map((f) => [f.name, [f.name, fieldText(f.name)]] as const));
      const check = (words: string, names: ReturnType<typeof allowedBy>, wrong: string[]) => {
        for (const [spelling] of words.matchAll(names.pattern))
          if (!names.byLower.get(spelling.toLowerCase())?.includes(spelling)) wrong.push(spelling);
      };
      const wrong: string[] = [];
      for (const doc of large) {
        const words = text(doc);
        check(words, exact, wrong);
        let plain = words;
        for (const name of proper) if (plain.includes(name)) plain = plain.split(name).join(' ');
        check(plain, fields, wrong);
        // The lead source is named by one of its taxonomy names (the Secretariat through its Secretary General).
        const lead = catalog.structureById(doc.sourceIds?.[0] ?? 0);
        if (lead && lead.kind !== 'chairpersonship') {
          const labels = [lead, ...lead.children].flatMap((s) => [s.name, s.short_name ?? s.name, ...s.aliasList]);
          expect(
            labels.some((label) => words.includes(label)),
            `${doc.title}: ${lead.name}`,
          ).toBe(true);
        }
      }
      expect([...new Set(wrong)]).toEqual([]);
      const all = large.map(text).join('\n');
      for (const name of ['Roma and Sinti', 'OSCE Mission to Skopje', 'cyber/ICT security', 'The Netherlands'])
        expect(all).toContain(name);
    });

    it('is the same corpus for the same seed, and another for another seed', () => {
      const options = { count: 2000, until: UNTIL, seed: 11 };
      const first = composeDemoCorpus(catalog, options);
      expect(composeDemoCorpus(catalog, options)).toEqual(first);
      expect(composeDemoCorpus(catalog, { ...options, seed: 12 }).map((d) => d.title)).not.toEqual(
        first.map((d) => d.title),
      );
    });
  });
});

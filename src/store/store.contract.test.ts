// The store's contract: every engine Dateline supports must pass these tests unchanged. Writes go
// through the document writer with a clock the tests move, so that every stored moment is known.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, skipPostgres } from '../../test/support/postgres.ts';
import type { Clock } from '../clock.ts';
import { latestChangeSeq, readChanges } from '../documents/change-log.ts';
import { permalinkOf } from '../documents/permalink.ts';
import { findVisibleDocument, findVisibleDocumentById, findVisibleDocumentByPath } from '../documents/reader.ts';
import { type DocumentInput, type DocumentWriter, documentWriter } from '../documents/writer.ts';
import { InvalidParameterError, SlugTakenError, StaleRevisionError } from '../errors.ts';
import { EMPTY_CHOICES, EMPTY_FILTER, type Filter } from '../listing/filter.ts';
import { runListing } from '../listing/listing.ts';
import { sqlListingEngine } from '../listing/sql-engine.ts';
import type { SearchProvider } from '../search/provider.ts';
import { searchFor } from '../search/providers.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { readTaxonomyData } from '../taxonomy/data-files.ts';
import { seedTaxonomies } from '../taxonomy/seed.ts';
import { MIGRATION_NAMES } from './migrate.ts';
import type { ChangeAction } from './schema.ts';
import { openStore, type Store } from './store.ts';

interface EngineUnderTest {
  name: string;
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

const ENGINES: EngineUnderTest[] = [
  {
    name: 'sqlite',
    async open() {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-contract-'));
      const store = await openStore(`sqlite:${path.join(directory, 'contract.db')}`);
      return {
        store,
        async dispose() {
          await store.close();
          fs.rmSync(directory, { recursive: true, force: true });
        },
      };
    },
  },
  ...(skipPostgres
    ? []
    : [
        {
          name: 'postgres',
          async open() {
            const database = await createTestDatabase('contract');
            const store = await openStore(database.url);
            return {
              store,
              async dispose() {
                await store.close();
                await database.drop();
              },
            };
          },
        },
      ]),
];

/** Where the clock stands at the start of every test. */
const START = '2030-01-01T00:00:00.000Z';

/** What a caught promise rejected with (for assertions on the error's own fields). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe.each(ENGINES)('store contract on $name', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let catalog: Catalog;
  let search: SearchProvider;
  let writer: DocumentWriter;
  let now = new Date(START);
  const clock: Clock = () => now;
  const setClock = (iso: string) => {
    now = new Date(iso);
  };

  const input = (overrides: Partial<DocumentInput> = {}): DocumentInput => ({
    kind: 'press-release',
    slug: 'contract-document',
    title: 'Contract document',
    bodyHtml: '<p>Body</p>',
    datedAt: '2020-05-05T10:00:00.000Z',
    status: 'published',
    ...overrides,
  });
  const create = (overrides: Partial<DocumentInput> = {}, using: DocumentWriter = writer) =>
    store.transaction((tx) => using.create(tx, input(overrides)));
  const update = (id: number, revision: number, overrides: Partial<DocumentInput>, using: DocumentWriter = writer) =>
    store.transaction((tx) => using.update(tx, id, revision, input(overrides)));
  const documentRow = (id: number) =>
    store.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const documentCount = async () =>
    Number(
      (
        await store.db
          .selectFrom('documents')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /**
   * A document's log entries after `afterSeq`. (SQLite gives a deleted newest document's id to the
   * next one, so entries of an earlier document may carry the same id.)
   */
  const changesOf = (id: number, afterSeq: number) =>
    store.db
      .selectFrom('document_changes')
      .select(['action', 'revision', 'at'])
      .where('document_id', '=', id)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .execute();

  type Include = { [D in keyof Filter['choices']]?: Filter['choices'][D]['include'] };
  const filter = (include: Include, overrides: Partial<Filter> = {}): Filter => ({
    ...EMPTY_FILTER,
    choices: Object.fromEntries(
      Object.entries(EMPTY_CHOICES).map(([d, c]) => [d, { ...c, include: include[d as keyof Include] ?? [] }]),
    ) as unknown as Filter['choices'],
    ...overrides,
  });
  const listing = (f: Filter) =>
    runListing(
      {
        db: store.db,
        engine: sqlListingEngine({ db: store.db, search, ancestorsOf: (id) => catalog.ancestorIds(id) }),
        search,
      },
      f,
      clock(),
    );
  const structureId = (slug: string) => catalog.structureBySlug(slug)?.id as number;

  beforeAll(async () => {
    ({ store, dispose } = await engine.open());
    const steps = await store.migrate();
    expect(steps).toEqual([
      'applied: 2026-11-30-initial-schema',
      'applied: 2026-11-30-search-index',
      'applied: 2026-12-01-dates-sources-changes',
      'applied: 2026-12-02-heading-index',
      'applied: 2026-12-02-prefix-indexes',
      'applied: 2026-12-02-text-search-vectors',
    ]);
    expect(steps).toEqual(MIGRATION_NAMES.map((name) => `applied: ${name}`));
    await store.transaction((tx) => seedTaxonomies(tx, readTaxonomyData(), START));
    catalog = await loadCatalog(store.db);
    ({ search } = searchFor(store.capabilities.engine));
    writer = documentWriter({ search, clock, isUniqueViolation: store.isUniqueViolation });
  });
  beforeEach(() => setClock(START));
  afterAll(() => dispose());

  it('migrating again does nothing', async () => {
    expect(await store.migrate()).toEqual([]);
  });

  describe('creating and saving', () => {
    it('creates a document at revision 1 with its terms, its sources in order and a revision record', async () => {
      const humanRights = catalog.fieldBySlug('human-rights')?.id as number;
      const austria = catalog.countryBySlug('austria')?.id as number;
      const moldova = structureId('mission-to-moldova');
      const chair = structureId('chairpersonship');
      const id = await create({
        fieldIds: [humanRights],
        countryIds: [austria],
        sourceIds: [moldova, chair],
        place: 'Chisinau/Vienna',
      });
      const doc = await documentRow(id);
      expect(doc).toMatchObject({
        revision: 1,
        dated_at: '2020-05-05T10:00:00.000Z',
        publish_at: null,
        published_at: START,
        permalink: '/press-releases/2020/05/contract-document',
        place: 'Chisinau/Vienna',
        created_at: START,
        updated_at: START,
      });
      const sources = await store.db
        .selectFrom('document_sources')
        .select(['structure_id', 'position'])
        .where('document_id', '=', id)
        .orderBy('position')
        .execute();
      expect(sources).toEqual([
        { structure_id: moldova, position: 0 },
        { structure_id: chair, position: 1 },
      ]);
      expect((await findVisibleDocumentById(store.db, id, START))?.sourceIds).toEqual([moldova, chair]);
      const revisions = await store.db
        .selectFrom('document_revisions')
        .selectAll()
        .where('document_id', '=', id)
        .execute();
      expect(revisions.map((r) => r.revision)).toEqual([1]);
      const snapshot = JSON.parse(revisions[0]?.snapshot ?? '{}') as Record<string, unknown>;
      expect(snapshot).toMatchObject({ fieldIds: [humanRights], countryIds: [austria], sourceIds: [moldova, chair] });
    });

    it('sanitises hostile HTML on the way in', async () => {
      const id = await create({
        slug: 'hostile',
        bodyHtml:
          '<p onclick="steal()">Hi<script>alert(1)</script><a href="javascript:alert(1)">x</a></p><iframe src="//x"></iframe>',
      });
      expect((await documentRow(id)).body_html).toBe('<p>Hi<a>x</a></p>');
    });

    it('keeps a valid IANA time zone and refuses an unknown one, a bad date or an end before the start', async () => {
      const id = await create({
        kind: 'event',
        slug: 'zoned-event',
        datedAt: '2020-05-05T08:00:00Z',
        endsAt: '2020-05-05T16:00:00Z',
        timeZone: 'Europe/Vienna',
      });
      expect(await documentRow(id)).toMatchObject({
        time_zone: 'Europe/Vienna',
        dated_at: '2020-05-05T08:00:00.000Z',
        ends_at: '2020-05-05T16:00:00.000Z',
      });
      const before = await documentCount();
      const cases: [Partial<DocumentInput>, string][] = [
        [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
        [{ datedAt: 'not a date' }, 'datedAt'],
        [{ endsAt: '2020-05-04T00:00:00Z' }, 'endsAt'],
        [{ publishAt: 'tomorrow-ish' }, 'publishAt'],
      ];
      for (const [overrides, parameter] of cases) {
        const error = await rejectionOf(create({ kind: 'event', slug: 'invalid-event', ...overrides }));
        expect(error, parameter).toBeInstanceOf(InvalidParameterError);
        expect((error as InvalidParameterError).parameter).toBe(parameter);
      }
      expect(await documentCount()).toBe(before);
    });

    it('counts revisions and refuses a save against a stale revision (409), keeping the stored text', async () => {
      const from = await latestChangeSeq(store.db);
      const id = await create({ slug: 'locking' });
      expect(await update(id, 1, { slug: 'locking', title: 'First editor' })).toBe(2);
      expect(await update(id, 2, { slug: 'locking', title: 'First editor again' })).toBe(3);
      const error = await rejectionOf(update(id, 2, { slug: 'locking', title: 'Second editor' }));
      expect(error).toBeInstanceOf(StaleRevisionError);
      expect(error).toMatchObject({ expected: 2, actual: 3, code: 'DL_ERR_STALE_REVISION', statusCode: 409 });
      expect(await documentRow(id)).toMatchObject({ title: 'First editor again', revision: 3 });
      const revisions = await store.db
        .selectFrom('document_revisions')
        .select(['revision', 'snapshot'])
        .where('document_id', '=', id)
        .orderBy('revision')
        .execute();
      expect(revisions.map((r) => [r.revision, (JSON.parse(r.snapshot) as { title: string }).title])).toEqual([
        [1, 'Contract document'],
        [2, 'First editor'],
        [3, 'First editor again'],
      ]);
      expect((await changesOf(id, from)).map((c) => [c.action, c.revision])).toEqual([
        ['created', 1],
        ['published', 1],
        ['updated', 2],
        ['updated', 3],
      ]);
      const missing = await rejectionOf(update(999_999, 1, { slug: 'nobody-home' }));
      expect(missing).toBeInstanceOf(StaleRevisionError);
      expect(missing).toMatchObject({ expected: 1, actual: 0 });
    });
  });

  describe('unique slugs', () => {
    it('keeps slugs unique per kind and language, checked before anything is written', async () => {
      let consulted = 0;
      const spying = documentWriter({
        search,
        clock,
        isUniqueViolation: (error) => {
          consulted += 1;
          return store.isUniqueViolation(error);
        },
      });
      await create({ slug: 'same-slug' });
      const error = await rejectionOf(create({ slug: 'same-slug' }, spying));
      expect(error).toBeInstanceOf(SlugTakenError);
      expect(error).toMatchObject({ code: 'DL_ERR_SLUG_TAKEN', statusCode: 409 });
      expect((error as Error).message).toContain('"same-slug"');
      await create({ slug: 'same-slug', kind: 'news' });
      await create({ slug: 'same-slug', language: 'fr' });
      const other = await create({ slug: 'another-slug' });
      await expect(update(other, 1, { slug: 'same-slug' }, spying)).rejects.toBeInstanceOf(SlugTakenError);
      expect(await documentRow(other)).toMatchObject({ slug: 'another-slug', revision: 1 });
      // The check refused both before any statement could violate the constraint.
      expect(consulted).toBe(0);
    });

    it("turns the engine's own unique violation into SlugTakenError when the check did not foresee it", async () => {
      const seen: boolean[] = [];
      const spying = documentWriter({
        search,
        clock,
        isUniqueViolation: (error) => {
          const unique = store.isUniqueViolation(error);
          seen.push(unique);
          return unique;
        },
      });
      const blind = documentWriter({ search, clock, isUniqueViolation: () => false });
      // A published document keeps its address when its slug changes, so the old address stays taken
      // though no document has that slug any more: the check passes and the constraint refuses.
      const first = await create({ slug: 'moved-away' });
      await update(first, 1, { slug: 'moved-elsewhere' });
      expect((await documentRow(first)).permalink).toBe('/press-releases/2020/05/moved-away');
      const before = { count: await documentCount(), seq: await latestChangeSeq(store.db) };

      const taken = await rejectionOf(create({ slug: 'moved-away', datedAt: '2020-05-20T00:00:00Z' }, spying));
      expect(taken).toBeInstanceOf(SlugTakenError);
      expect(seen).toEqual([true]);

      // Without the store's test the driver's error comes through as it is, and it is a unique violation.
      const raw = await rejectionOf(create({ slug: 'moved-away', datedAt: '2020-05-20T00:00:00Z' }, blind));
      expect(raw).not.toBeInstanceOf(SlugTakenError);
      expect(store.isUniqueViolation(raw)).toBe(true);
      expect({ count: await documentCount(), seq: await latestChangeSeq(store.db) }).toEqual(before);

      // A draft has no address yet; publishing it is the update that hits the constraint.
      const draft = await create({ slug: 'moved-away', datedAt: '2020-05-20T00:00:00Z', status: 'draft' }, spying);
      await expect(
        update(draft, 1, { slug: 'moved-away', datedAt: '2020-05-20T00:00:00Z', status: 'published' }, spying),
      ).rejects.toBeInstanceOf(SlugTakenError);
      expect(seen).toEqual([true, true]);
      expect(await documentRow(draft)).toMatchObject({ status: 'draft', revision: 1, permalink: null });
    });

    it('tells unique violations from other errors', async () => {
      const id = await create({ slug: 'violations', sourceIds: [structureId('secretariat')] });
      const duplicate = await rejectionOf(
        store.db
          .insertInto('document_sources')
          .values({ document_id: id, structure_id: structureId('secretariat'), position: 1 })
          .execute(),
      );
      expect(store.isUniqueViolation(duplicate)).toBe(true);
      const dangling = await rejectionOf(
        store.db
          .insertInto('document_sources')
          .values({ document_id: id, structure_id: 999_999, position: 1 })
          .execute(),
      );
      expect(store.isUniqueViolation(dangling)).toBe(false);
      expect(store.isUniqueViolation(new Error('UNIQUE constraint failed: documents.slug'))).toBe(false);
    });
  });

  describe('the change log', () => {
    it('appends created, published, updated, unpublished and deleted in order, at the clock’s moments', async () => {
      const from = await latestChangeSeq(store.db);
      const id = await create({ slug: 'logged', status: 'draft' });
      setClock('2030-01-01T01:00:00.000Z');
      await update(id, 1, { slug: 'logged', status: 'published' });
      setClock('2030-01-01T02:00:00.000Z');
      await update(id, 2, { slug: 'logged', title: 'Logged, corrected' });
      setClock('2030-01-01T03:00:00.000Z');
      await update(id, 3, { slug: 'logged', status: 'draft' });
      setClock('2030-01-01T04:00:00.000Z');
      expect(await store.transaction((tx) => writer.remove(tx, id))).toBe(true);
      const changes = await readChanges(store.db, from);
      expect(changes.map(({ document_id, action, revision, at }) => ({ document_id, action, revision, at }))).toEqual([
        { document_id: id, action: 'created', revision: 1, at: START },
        { document_id: id, action: 'published', revision: 2, at: '2030-01-01T01:00:00.000Z' },
        { document_id: id, action: 'updated', revision: 3, at: '2030-01-01T02:00:00.000Z' },
        { document_id: id, action: 'unpublished', revision: 4, at: '2030-01-01T03:00:00.000Z' },
        { document_id: id, action: 'deleted', revision: null, at: '2030-01-01T04:00:00.000Z' },
      ]);
      expect(await latestChangeSeq(store.db)).toBe(changes.at(-1)?.seq);
      // Removing what is gone already changes nothing, so it logs nothing.
      expect(await store.transaction((tx) => writer.remove(tx, id))).toBe(false);
      expect(await readChanges(store.db, from)).toHaveLength(changes.length);
    });

    it('a document created as published logs its creation and its publication at revision 1', async () => {
      const from = await latestChangeSeq(store.db);
      const id = await create({ slug: 'born-public' });
      expect(await changesOf(id, from)).toEqual([
        { action: 'created', revision: 1, at: START },
        { action: 'published', revision: 1, at: START },
      ]);
    });

    it('rolls the log rows back together with a failed transaction', async () => {
      const before = { count: await documentCount(), seq: await latestChangeSeq(store.db) };
      await expect(
        store.transaction(async (tx) => {
          const id = await writer.create(tx, input({ slug: 'rolled-back' }));
          await writer.update(tx, id, 1, input({ slug: 'rolled-back', title: 'Changed' }));
          throw new Error('crash in the middle of a write');
        }),
      ).rejects.toThrow('crash');
      // A refused save after a good one takes the good one down with it.
      await expect(
        store.transaction(async (tx) => {
          const id = await writer.create(tx, input({ slug: 'rolled-back-too' }));
          await writer.update(tx, id, 7, input({ slug: 'rolled-back-too' }));
        }),
      ).rejects.toBeInstanceOf(StaleRevisionError);
      expect({ count: await documentCount(), seq: await latestChangeSeq(store.db) }).toEqual(before);
      const slugs = await store.db
        .selectFrom('documents')
        .select('slug')
        .where('slug', 'in', ['rolled-back', 'rolled-back-too'])
        .execute();
      expect(slugs).toEqual([]);
    });
  });

  describe('the clock', () => {
    it('stamps every stored moment with the injected clock', async () => {
      const from = await latestChangeSeq(store.db);
      const id = await create({ slug: 'clocked', status: 'draft' });
      expect(await documentRow(id)).toMatchObject({
        created_at: START,
        updated_at: START,
        published_at: null,
        permalink: null,
      });
      setClock('2030-01-01T06:30:00.000Z');
      await update(id, 1, { slug: 'clocked' });
      setClock('2030-01-02T09:15:00.000Z');
      await update(id, 2, { slug: 'clocked', title: 'Clocked, corrected' });
      expect(await documentRow(id)).toMatchObject({
        created_at: START,
        updated_at: '2030-01-02T09:15:00.000Z',
        // When it went public, not when it was last saved.
        published_at: '2030-01-01T06:30:00.000Z',
        permalink: '/press-releases/2020/05/clocked',
      });
      const revisions = await store.db
        .selectFrom('document_revisions')
        .select(['revision', 'created_at'])
        .where('document_id', '=', id)
        .orderBy('revision')
        .execute();
      expect(revisions).toEqual([
        { revision: 1, created_at: START },
        { revision: 2, created_at: '2030-01-01T06:30:00.000Z' },
        { revision: 3, created_at: '2030-01-02T09:15:00.000Z' },
      ]);
      expect((await changesOf(id, from)).map((c) => c.at)).toEqual([
        START,
        '2030-01-01T06:30:00.000Z',
        '2030-01-02T09:15:00.000Z',
      ]);
    });

    it('an archive keeps the moment it went public elsewhere', async () => {
      const id = await create({ slug: 'archived-elsewhere', publishedAt: '2020-05-05T12:00:00Z' });
      expect(await documentRow(id)).toMatchObject({ published_at: '2020-05-05T12:00:00.000Z', created_at: START });
    });
  });

  describe('addresses and schedules', () => {
    it('a scheduled document is invisible until the clock passes its moment, then visible at its address', async () => {
      const scheduled = { slug: 'scheduled', datedAt: '2030-01-01T09:00:00Z', publishAt: '2030-01-02T12:00:00Z' };
      const id = await create(scheduled);
      const permalink = '/press-releases/2030/01/scheduled';
      expect(await documentRow(id)).toMatchObject({
        permalink,
        publish_at: '2030-01-02T12:00:00.000Z',
        published_at: '2030-01-02T12:00:00.000Z',
      });
      const visibleIds = async () =>
        (await listing(filter({ type: ['press-release'] }, { pageSize: 100 }))).items.map((d) => d.id);
      expect(await findVisibleDocumentByPath(store.db, permalink, clock().toISOString())).toBeUndefined();
      expect(await visibleIds()).not.toContain(id);

      // The schedule moves a day; the address does not.
      setClock('2030-01-01T08:00:00.000Z');
      await update(id, 1, { ...scheduled, publishAt: '2030-01-03T12:00:00Z' });
      expect(await documentRow(id)).toMatchObject({ permalink, published_at: '2030-01-03T12:00:00.000Z' });

      setClock('2030-01-02T13:00:00.000Z');
      expect(await findVisibleDocumentByPath(store.db, permalink, clock().toISOString())).toBeUndefined();
      expect(await visibleIds()).not.toContain(id);

      setClock('2030-01-03T12:00:00.000Z');
      expect((await findVisibleDocumentByPath(store.db, permalink, clock().toISOString()))?.id).toBe(id);
      expect(await visibleIds()).toContain(id);
    });

    it('a published document keeps its address when its date is edited, and when it is withdrawn and republished', async () => {
      const from = await latestChangeSeq(store.db);
      const id = await create({ slug: 'fixed-address', datedAt: '2030-01-01T09:00:00Z' });
      const permalink = '/press-releases/2030/01/fixed-address';
      setClock('2030-02-01T00:00:00.000Z');
      await update(id, 1, { slug: 'fixed-address', datedAt: '2031-05-05T09:00:00Z' });
      const edited = await documentRow(id);
      expect(edited).toMatchObject({ dated_at: '2031-05-05T09:00:00.000Z', permalink, published_at: START });
      expect(permalinkOf(edited)).toBe('/press-releases/2031/05/fixed-address');
      const at = clock().toISOString();
      expect((await findVisibleDocumentByPath(store.db, permalink, at))?.id).toBe(id);
      expect(await findVisibleDocumentByPath(store.db, permalinkOf(edited), at)).toBeUndefined();

      setClock('2030-03-01T00:00:00.000Z');
      await update(id, 2, { slug: 'fixed-address', datedAt: '2031-05-05T09:00:00Z', status: 'draft' });
      expect(await findVisibleDocumentByPath(store.db, permalink, clock().toISOString())).toBeUndefined();
      setClock('2030-04-01T00:00:00.000Z');
      await update(id, 3, { slug: 'fixed-address', datedAt: '2031-05-05T09:00:00Z' });
      expect(await documentRow(id)).toMatchObject({ permalink, published_at: START, status: 'published' });
      expect((await findVisibleDocumentByPath(store.db, permalink, clock().toISOString()))?.id).toBe(id);
      const actions: ChangeAction[] = (await changesOf(id, from)).map((c) => c.action);
      expect(actions).toEqual(['created', 'published', 'updated', 'unpublished', 'published']);
    });

    it('hides drafts and embargoed documents until their second', async () => {
      await store.transaction(async (tx) => {
        await writer.create(tx, input({ slug: 'draft', status: 'draft' }));
        await writer.create(tx, input({ slug: 'embargoed', publishAt: '2030-01-01T00:00:01.000Z' }));
      });
      const address = (slug: string) => ({ kind: 'press-release' as const, language: 'en', slug });
      expect(await findVisibleDocument(store.db, address('draft'), START)).toBeUndefined();
      expect(await findVisibleDocument(store.db, address('embargoed'), START)).toBeUndefined();
      expect(await findVisibleDocument(store.db, address('embargoed'), '2030-01-01T00:00:01.000Z')).toBeDefined();
      const pressReleases = async () =>
        (await listing(filter({ type: ['press-release'] }, { pageSize: 100 }))).items.map((d) => d.slug);
      const slugs = await pressReleases();
      expect(slugs).not.toContain('embargoed');
      expect(slugs).not.toContain('draft');
      setClock('2030-01-01T00:00:01.000Z');
      expect(await pressReleases()).toContain('embargoed');
    });
  });

  describe('deleting', () => {
    it('remove deletes a document with its terms, sources, revisions and search text', async () => {
      const field = catalog.fieldBySlug('youth')?.id as number;
      const id = await create({ slug: 'removed', fieldIds: [field], sourceIds: [structureId('secretariat')] });
      expect(await store.transaction((tx) => writer.remove(tx, id))).toBe(true);
      const left = await Promise.all([
        store.db.selectFrom('documents').select('id').where('id', '=', id).execute(),
        store.db.selectFrom('document_fields').select('field_id').where('document_id', '=', id).execute(),
        store.db.selectFrom('document_sources').select('structure_id').where('document_id', '=', id).execute(),
        store.db.selectFrom('document_revisions').select('revision').where('document_id', '=', id).execute(),
        store.db.selectFrom('document_texts').select('document_id').where('document_id', '=', id).execute(),
      ]);
      expect(left).toEqual([[], [], [], [], []]);
    });

    it('deleting a document row removes its terms, sources and revisions (ON DELETE CASCADE)', async () => {
      const field = catalog.fieldBySlug('youth')?.id as number;
      const id = await create({ slug: 'to-delete', fieldIds: [field], sourceIds: [structureId('secretariat')] });
      // The search index is told first (it is not part of what the constraint cascades to).
      await store.transaction((tx) => search.remove(tx, id));
      await store.db.deleteFrom('documents').where('id', '=', id).execute();
      const left = await Promise.all([
        store.db.selectFrom('document_fields').select('field_id').where('document_id', '=', id).execute(),
        store.db.selectFrom('document_sources').select('structure_id').where('document_id', '=', id).execute(),
        store.db.selectFrom('document_revisions').select('revision').where('document_id', '=', id).execute(),
      ]);
      expect(left).toEqual([[], [], []]);
    });
  });

  it('filters by field, country, any of its sources, year and kind, newest first', async () => {
    const trafficking = catalog.fieldBySlug('combating-trafficking-in-human-beings')?.id as number;
    const spain = catalog.countryBySlug('spain')?.id as number;
    const serbia = structureId('mission-to-serbia');
    const secretariat = structureId('secretariat');
    await store.transaction(async (tx) => {
      await writer.create(tx, input({ slug: 'f1', datedAt: '2011-03-01T00:00:00Z', fieldIds: [trafficking] }));
      await writer.create(
        tx,
        input({ slug: 'f2', datedAt: '2012-03-01T00:00:00Z', fieldIds: [trafficking], countryIds: [spain] }),
      );
      // Co-issued: the Secretariat leads, the mission is found by its name too.
      await writer.create(
        tx,
        input({ slug: 'f3', kind: 'news', datedAt: '2011-07-01T00:00:00Z', sourceIds: [secretariat, serbia] }),
      );
    });
    const slugs = async (include: Include, overrides: Partial<Filter> = {}) =>
      (await listing(filter(include, overrides))).items.map((d) => d.slug);
    expect(await slugs({ field: [trafficking] })).toEqual(['f2', 'f1']);
    expect(await slugs({ field: [trafficking] }, { sort: 'oldest' })).toEqual(['f1', 'f2']);
    expect(await slugs({ country: [spain] })).toEqual(['f2']);
    expect(await slugs({ source: [serbia] })).toEqual(['f3']);
    expect(await slugs({ source: [secretariat] })).toContain('f3');
    expect(await slugs({ year: [2011] })).toEqual(['f3', 'f1']);
    expect(await slugs({ year: [2011], type: ['news'] })).toEqual(['f3']);
    expect(await slugs({}, { from: '2011-07-01', to: '2012-03-01' })).toEqual(['f2', 'f3']);
    const paged = await listing(filter({ field: [trafficking] }, { pageSize: 1, page: 2 }));
    expect({ total: paged.total, pages: paged.pageCount, slugs: paged.items.map((d) => d.slug) }).toEqual({
      total: 2,
      pages: 2,
      slugs: ['f1'],
    });
    const [f3] = (await listing(filter({ source: [serbia] }))).items;
    expect(f3?.sourceIds).toEqual([secretariat, serbia]);
  });
});

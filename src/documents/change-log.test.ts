// The change log and its followers: entries in order, positions kept, nothing missed when writes
// land during a read or while a follower was down, and another server process (a second handle
// on the same database) sees every write of this one within a poll interval.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type DatelineApp } from '../app.ts';
import { systemClock } from '../clock.ts';
import { writerFor } from '../compose.ts';
import { loadConfig } from '../config.ts';
import { DocumentBitmapIndex } from '../listing/bitmap-index.ts';
import { EMPTY_FILTER } from '../listing/filter.ts';
import type { ListingJson } from '../listing/json.ts';
import { createListingService } from '../listing/service.ts';
import { searchFor } from '../search/providers.ts';
import { setUpDatabase } from '../setup.ts';
import type { ChangeAction, DocumentChange } from '../store/schema.ts';
import { openStore, type Store } from '../store/store.ts';
import { loadCatalog } from '../taxonomy/catalog.ts';
import { readTaxonomyData, type TaxonomyData } from '../taxonomy/data-files.ts';
import { seedTaxonomies } from '../taxonomy/seed.ts';
import { ChangeFollower, latestChangeSeq, readChanges, recordChange } from './change-log.ts';
import type { DocumentInput, DocumentWriter } from './writer.ts';

const AT = '2026-12-01T12:00:00.000Z';
/** How soon another process must see a write (its followers poll every 50 ms). */
const WITHIN = { timeout: 1_000, interval: 20 };

function temporaryDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-change-log-'));
}

/** Appends entries, one transaction each (or all in one), through `store`. */
async function record(
  store: Store,
  entries: readonly { documentId: number | null; action: ChangeAction }[],
  oneTransaction = false,
): Promise<void> {
  if (oneTransaction) {
    await store.transaction(async (tx) => {
      for (const entry of entries) await recordChange(tx, { ...entry, at: AT });
    });
    return;
  }
  for (const entry of entries) await store.transaction((tx) => recordChange(tx, { ...entry, at: AT }));
}

const updated = (...ids: number[]) => ids.map((documentId) => ({ documentId, action: 'updated' as const }));

/** A follower that keeps every batch it is handed. */
function collecting(follower: ChangeFollower): { batches: DocumentChange[][]; all(): DocumentChange[] } {
  const batches: DocumentChange[][] = [];
  follower.subscribe((changes) => {
    batches.push([...changes]);
  });
  return { batches, all: () => batches.flat() };
}

const idsOf = (changes: readonly DocumentChange[]) => changes.map((change) => change.document_id);

function expectStrictlyIncreasing(changes: readonly DocumentChange[]): void {
  for (let i = 1; i < changes.length; i += 1) {
    expect((changes[i] as DocumentChange).seq).toBeGreaterThan((changes[i - 1] as DocumentChange).seq);
  }
}

describe('the change log and ChangeFollower', () => {
  let directory: string;
  let file: string;
  let store: Store;
  let other: Store;

  beforeEach(async () => {
    directory = temporaryDirectory();
    file = path.join(directory, 'log.db');
    store = await openStore(`sqlite:${file}`);
    await store.migrate();
    other = await openStore(`sqlite:${file}`);
  });

  afterEach(async () => {
    await other.close();
    await store.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('reads entries in order after a position, within a limit; the latest position of an empty log is 0', async () => {
    expect(await latestChangeSeq(store.db)).toBe(0);
    expect(await readChanges(store.db, 0)).toEqual([]);
    await record(store, [...updated(1, 2), { documentId: null, action: 'taxonomies' }, ...updated(3)]);
    const all = await readChanges(store.db, 0);
    expect(all.map((change) => [change.document_id, change.action])).toEqual([
      [1, 'updated'],
      [2, 'updated'],
      [null, 'taxonomies'],
      [3, 'updated'],
    ]);
    expect(all.every((change) => change.at === AT && change.revision === null)).toBe(true);
    expectStrictlyIncreasing(all);
    expect(await latestChangeSeq(store.db)).toBe(all.at(-1)?.seq);
    const second = all[1] as DocumentChange;
    expect(idsOf(await readChanges(store.db, second.seq))).toEqual([null, 3]);
    expect(idsOf(await readChanges(store.db, 0, 2))).toEqual([1, 2]);
  });

  it('hands every entry to every subscriber once, in commit order, across batches larger than a read', async () => {
    const follower = new ChangeFollower(store, { pollMs: 0 });
    const first = collecting(follower);
    const second = collecting(follower);
    await record(store, updated(1, 2, 3));
    await record(store, updated(...Array.from({ length: 2_500 }, (_, i) => 100 + i)), true);
    await record(other, updated(4));
    await follower.catchUp();

    const expected = [1, 2, 3, ...Array.from({ length: 2_500 }, (_, i) => 100 + i), 4];
    expect(idsOf(first.all())).toEqual(expected);
    expect(idsOf(second.all())).toEqual(expected);
    expectStrictlyIncreasing(first.all());
    // Read 1,000 at a time: the follower keeps reading until the log is exhausted.
    expect(first.batches.map((batch) => batch.length)).toEqual([1_000, 1_000, 504]);
    expect(follower.seq).toBe(await latestChangeSeq(store.db));
  });

  it('keeps its position: a second catch-up hands over only what is new; an unsubscribed one gets nothing', async () => {
    const follower = new ChangeFollower(store, { pollMs: 0 });
    const kept = collecting(follower);
    let dropped = 0;
    const unsubscribe = follower.subscribe((changes) => {
      dropped += changes.length;
    });
    await record(store, updated(1, 2));
    await follower.catchUp();
    const position = follower.seq;
    await follower.catchUp();
    expect(kept.batches).toHaveLength(1);
    expect(follower.seq).toBe(position);

    unsubscribe();
    await record(other, updated(3));
    await follower.catchUp();
    expect(idsOf(kept.all())).toEqual([1, 2, 3]);
    expect(dropped).toBe(2);
    expect(follower.seq).toBeGreaterThan(position);
  });

  it('starts after a given position, or after the latest entry', async () => {
    await record(store, updated(1, 2, 3));
    const [, second] = await readChanges(store.db, 0);
    const fromSecond = new ChangeFollower(store, { pollMs: 0 });
    fromSecond.startAfter((second as DocumentChange).seq);
    const afterSecond = collecting(fromSecond);
    const fromLatest = new ChangeFollower(store, { pollMs: 0 });
    await fromLatest.startFromLatest();
    const afterLatest = collecting(fromLatest);
    expect(fromLatest.seq).toBe(await latestChangeSeq(store.db));

    await record(store, updated(4));
    await Promise.all([fromSecond.catchUp(), fromLatest.catchUp()]);
    expect(idsOf(afterSecond.all())).toEqual([3, 4]);
    expect(idsOf(afterLatest.all())).toEqual([4]);
  });

  it('misses nothing written during a catch-up, and concurrent catch-ups deliver each entry once', async () => {
    const follower = new ChangeFollower(store, { pollMs: 0 });
    const seen = collecting(follower);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let wroteDuringDispatch = false;
    follower.subscribe(async () => {
      if (wroteDuringDispatch) return;
      wroteDuringDispatch = true;
      // While the first batch is being handled: this process and another one write.
      await record(store, updated(2));
      await record(other, updated(3));
      await gate;
    });
    await record(store, updated(1));
    const first = follower.catchUp();
    const second = follower.catchUp();
    const third = follower.catchUpWithLocalWrites();
    await expect.poll(() => wroteDuringDispatch).toBe(true);
    await record(other, updated(4));
    release();
    await Promise.all([first, second, third]);

    expect(idsOf(seen.all())).toEqual([1, 2, 3, 4]);
    expect(seen.batches.length).toBeGreaterThanOrEqual(2);
    expect(follower.seq).toBe(await latestChangeSeq(store.db));
  });

  it('a catch-up asked for after a local commit sees it, even when a read that began before the commit is running', async () => {
    // Reads go through a second connection whose results are held back until the gate opens: the
    // first read has run (before the commit) but not returned when the commit and the caller come.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let readsRun = 0;
    const holdFirstRead: KyselyPlugin = {
      transformQuery: (args) => args.node,
      async transformResult(args) {
        readsRun += 1;
        if (readsRun === 1) await gate;
        return args.result;
      },
    };
    const follower = new ChangeFollower({ db: other.db.withPlugin(holdFirstRead), localCommits: store.localCommits });
    const seen = collecting(follower);
    const first = follower.catchUp();
    await expect.poll(() => readsRun).toBe(1);
    await record(store, updated(1));
    const afterCommit = follower.catchUpWithLocalWrites();
    release();
    await Promise.all([first, afterCommit]);
    expect(idsOf(seen.all())).toEqual([1]);
  });

  it('a catch-up after a local commit waits for a read already applying that commit', async () => {
    // A read woken by the engine (NOTIFY) picks up this process's commit and is still applying it
    // when a listing asks: the listing must not go on before the subscribers are done.
    const follower = new ChangeFollower(store, { pollMs: 0 });
    await follower.startFromLatest();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const applied: number[] = [];
    follower.subscribe(async (changes) => {
      await gate;
      applied.push(...changes.flatMap((change) => (change.document_id === null ? [] : [change.document_id])));
    });
    await record(store, updated(1));
    const woken = follower.catchUp();
    await new Promise((resolve) => setTimeout(resolve, 20));
    let listingWent = false;
    const listing = follower.catchUpWithLocalWrites().then(() => {
      listingWent = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(listingWent).toBe(false);
    release();
    await Promise.all([woken, listing]);
    expect(applied).toEqual([1]);
    expect(listingWent).toBe(true);
  });

  it('reads at once after a local commit; another process is read on the next poll', async () => {
    const follower = new ChangeFollower(store, { pollMs: 0 });
    await follower.startFromLatest();
    const seen = collecting(follower);
    await record(other, updated(1));
    // Nothing committed here: no read (that is the poll's job).
    await follower.catchUpWithLocalWrites();
    expect(seen.all()).toEqual([]);
    await record(store, updated(2));
    await follower.catchUpWithLocalWrites();
    expect(idsOf(seen.all())).toEqual([1, 2]);
  });

  it('polls in the background until stopped, and reports failed reads', async () => {
    const errors: unknown[] = [];
    const follower = new ChangeFollower(store, { pollMs: 20, onError: (error) => errors.push(error) });
    await follower.startFromLatest();
    const seen = collecting(follower);
    follower.start();
    await record(other, updated(1, 2));
    await expect.poll(() => idsOf(seen.all()), WITHIN).toEqual([1, 2]);
    follower.stop();
    await record(other, updated(3));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(idsOf(seen.all())).toEqual([1, 2]);
    expect(errors).toEqual([]);

    // A follower on a handle that fails: the error is reported, not thrown into the timer.
    const broken = await openStore(`sqlite:${path.join(directory, 'no-log.db')}`);
    const failing = new ChangeFollower(broken, { pollMs: 20, onError: (error) => errors.push(error) });
    failing.start();
    await expect.poll(() => errors.length, WITHIN).toBeGreaterThan(0);
    failing.stop();
    await broken.close();
    expect(String(errors[0])).toMatch(/document_changes/);
  });

  it('after a restart, a follower started from its stored position misses nothing written while it was down', async () => {
    // The first run: started from the latest entry, it follows and its position is stored.
    await record(store, updated(1));
    const before = await openStore(`sqlite:${file}`);
    const firstRun = new ChangeFollower(before, { pollMs: 0 });
    await firstRun.startFromLatest();
    const firstSeen = collecting(firstRun);
    await record(other, updated(2));
    await firstRun.catchUp();
    expect(idsOf(firstSeen.all())).toEqual([2]);
    const storedPosition = firstRun.seq;
    await before.close();

    // Down: others write.
    await record(other, updated(3, 4));
    await record(store, updated(5), true);

    const after = await openStore(`sqlite:${file}`);
    try {
      const secondRun = new ChangeFollower(after, { pollMs: 0 });
      secondRun.startAfter(storedPosition);
      const secondSeen = collecting(secondRun);
      await secondRun.catchUp();
      expect(idsOf(secondSeen.all())).toEqual([3, 4, 5]);
      expect(secondRun.seq).toBe(await latestChangeSeq(after.db));
      // Started from the latest instead, it would have missed them: the stored position matters.
      const fromLatest = new ChangeFollower(after, { pollMs: 0 });
      await fromLatest.startFromLatest();
      const latestSeen = collecting(fromLatest);
      await fromLatest.catchUp();
      expect(latestSeen.all()).toEqual([]);
    } finally {
      await after.close();
    }
  });
});

describe('the count cache and the bitmap index, following the log in another process', () => {
  it('does not keep counts computed by the index before it applied a change', async () => {
    const directory = temporaryDirectory();
    const file = path.join(directory, 'shared.db');
    const storeA = await openStore(`sqlite:${file}`);
    const storeB = await openStore(`sqlite:${file}`);
    try {
      await setUpDatabase(storeA, { demo: 0 });
      const { search, terms } = searchFor('sqlite');
      const catalog = await loadCatalog(storeB.db);
      const listings = await createListingService({
        store: storeB,
        search,
        clock: systemClock,
        ancestorsOf: (id) => catalog.ancestorIds(id),
        countCacheTtlMs: 30_000,
        pollMs: 20,
      });
      const index = new DocumentBitmapIndex({ db: storeB.db, search, terms, subtrees: () => catalog.subtrees });
      const position = await latestChangeSeq(storeB.db);
      await index.load();
      listings.useIndex(index, position);
      // The index is slow to apply the next change: the counts' own follower has cleared the cache by then.
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let state: 'idle' | 'held' | 'applied' = 'idle';
      const apply = index.applyChanges.bind(index);
      index.applyChanges = async (changes) => {
        state = 'held';
        await gate;
        await apply(changes);
        state = 'applied';
      };
      try {
        const total = async () => (await listings.run(EMPTY_FILTER)).total;
        const before = await total();
        await storeA.transaction((tx) =>
          writerFor(storeA).create(tx, {
            kind: 'news',
            slug: 'counted-late',
            title: 'Counted late',
            bodyHtml: '<p>News.</p>',
            datedAt: new Date(Date.now() - 60_000).toISOString(),
            status: 'published',
          }),
        );
        await expect.poll(() => state, WITHIN).toBe('held');
        await new Promise((resolve) => setTimeout(resolve, 120));
        // Counted now, from the index as it still is, and cached.
        expect(await total()).toBe(before);
        release();
        await expect.poll(() => state, WITHIN).toBe('applied');
        await expect.poll(total, WITHIN).toBe(before + 1);
      } finally {
        release();
        listings.close();
      }
    } finally {
      await storeB.close();
      await storeA.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** Another server process's view: the app on handle B while handle A writes. */
describe.each([
  { engine: 'the bitmap index', bitmapIndex: true },
  { engine: 'SQL', bitmapIndex: false },
])('another process follows the log (listings on $engine)', ({ bitmapIndex }) => {
  let directory: string;
  let storeA: Store;
  let storeB: Store;
  let built: DatelineApp;
  let writer: DocumentWriter;
  let taxonomy: TaxonomyData;
  let fieldSlug: string;
  let fieldId: number;
  let countryId: number;
  let sourceId: number;

  beforeAll(async () => {
    directory = temporaryDirectory();
    const file = path.join(directory, 'shared.db');
    storeA = await openStore(`sqlite:${file}`);
    await setUpDatabase(storeA, { demo: 40 });
    storeB = await openStore(`sqlite:${file}`);
    built = await buildApp(loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://localhost:3000' }), {
      store: storeB,
      bitmapIndex,
      countCacheTtlMs: 30_000,
      changePollMs: 50,
    });
    await built.app.ready();
    await built.indexReady;
    writer = writerFor(storeA);
    taxonomy = readTaxonomyData();
    const catalog = await loadCatalog(storeA.db);
    const field = catalog.fields.at(-1);
    const country = catalog.countries[0];
    const source = catalog.structures[0];
    if (!field || !country || !source) throw new Error('the seeded catalogue is empty');
    fieldSlug = field.slug;
    fieldId = field.id;
    countryId = country.id;
    sourceId = source.id;
  });

  afterAll(async () => {
    await built?.app.close();
    await storeB?.close();
    await storeA?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  async function listing(): Promise<ListingJson> {
    const response = await built.app.inject({ url: '/documents.json?facets=true&page_size=100' });
    expect(response.statusCode).toBe(200);
    return response.json<ListingJson>();
  }

  /** What a test compares: the total, the facet counts it cares about, and which ids are listed. */
  async function view(ids: readonly number[]) {
    const json = await listing();
    const count = (facet: string, value: string) =>
      json.facets?.[facet]?.find((entry) => entry.value === value)?.count ?? 0;
    return {
      total: json.total,
      statements: count('type', 'statement'),
      field: count('field', fieldSlug),
      listed: ids.filter((id) => json.items.some((item) => item.id === id)),
    };
  }

  const input = (slug: string, status: 'published' | 'draft'): DocumentInput => ({
    kind: 'statement',
    slug,
    title: `Statement ${slug}`,
    bodyHtml: '<p>A statement written by another process.</p>',
    datedAt: new Date(Date.now() - 60_000).toISOString(),
    status,
    fieldIds: [fieldId],
    countryIds: [countryId],
    sourceIds: [sourceId],
  });

  it('sees a document published, unpublished and deleted by another process within a second, counts included', async () => {
    // B's counts are cached (for 30 s) before A writes.
    const start = await view([]);
    expect(start.total).toBeGreaterThan(1);
    expect(await view([])).toEqual(start);

    const id = await storeA.transaction((tx) => writer.create(tx, input('written-by-a', 'published')));
    await expect
      .poll(() => view([id]), WITHIN)
      .toEqual({ total: start.total + 1, statements: start.statements + 1, field: start.field + 1, listed: [id] });

    await storeA.transaction((tx) => writer.update(tx, id, 1, input('written-by-a', 'draft')));
    await expect.poll(() => view([id]), WITHIN).toEqual({ ...start, listed: [] });

    // Another listed document, deleted through A.
    const victim = (await listing()).items.find((item) => item.kind === 'statement' && item.id !== id);
    if (victim?.id === undefined) throw new Error('the demo corpus has no statement');
    const victimId = victim.id;
    const victimFields = await storeA.db
      .selectFrom('document_fields')
      .select('field_id')
      .where('document_id', '=', victimId)
      .execute();
    const inField = victimFields.some((row) => row.field_id === fieldId) ? 1 : 0;
    expect((await view([victimId])).listed).toEqual([victimId]);
    expect(await storeA.transaction((tx) => writer.remove(tx, victimId))).toBe(true);
    await expect
      .poll(() => view([victimId]), WITHIN)
      .toEqual({ total: start.total - 1, statements: start.statements - 1, field: start.field - inField, listed: [] });
  });

  it('sees the taxonomies reseeded by another process: a renamed field of work', async () => {
    const original = taxonomy.fieldsOfWork.find((field) => field.slug === fieldSlug);
    if (!original) throw new Error(`no field ${fieldSlug} in the data files`);
    const renamed = `${original.name} (renamed elsewhere)`;
    const heading = async () => {
      const response = await built.app.inject({ url: `/fields-of-work/${fieldSlug}` });
      expect(response.statusCode).toBe(200);
      return /<h1[^>]*>([^<]*)<\/h1>/.exec(response.body)?.[1];
    };
    const facetLabel = async () =>
      (await listing()).facets?.field?.find((entry) => entry.value === fieldSlug)?.label ?? null;
    expect(await heading()).toBe(original.name);

    const seed = (data: TaxonomyData) => storeA.transaction((tx) => seedTaxonomies(tx, data, new Date().toISOString()));
    const before = await latestChangeSeq(storeA.db);
    await seed({
      ...taxonomy,
      fieldsOfWork: taxonomy.fieldsOfWork.map((field) =>
        field.slug === fieldSlug ? { ...field, name: renamed } : field,
      ),
    });
    expect((await readChanges(storeA.db, before)).map((change) => change.action)).toEqual(['taxonomies']);
    await expect.poll(heading, WITHIN).toBe(renamed);
    if ((await view([])).field > 0) await expect.poll(facetLabel, WITHIN).toBe(renamed);

    await seed(taxonomy);
    await expect.poll(heading, WITHIN).toBe(original.name);
  });
});

// The index snapshot: what a restart loads instead of reading every document again. A restored
// index, with the changes since replayed, must answer as one freshly read from the database; a
// snapshot that does not fit the database is refused with its reason, never used.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { latestChangeSeq } from '../documents/change-log.ts';
import type { DocumentInput } from '../documents/writer.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { DocumentBitmapIndex, loadBitmapIndex } from './bitmap-index.ts';
import { parseFilter } from './filter.ts';
import {
  readIndexSnapshot,
  restoreIndex,
  SNAPSHOT_FORMAT,
  SnapshotUnusable,
  saveIndexSnapshot,
} from './index-snapshot.ts';

const NOW = Date.parse('2030-01-01T00:00:00Z');
/** Low enough for the demo corpus to hold postings of its common words. */
const MIN_DOCUMENTS = 20;

let testStore: TestStore;
let catalog: Catalog;
let file: string;

const input = (slug: string, title: string, extra: Partial<DocumentInput> = {}): DocumentInput => ({
  kind: 'news',
  slug,
  title,
  summary: 'A summary about security and cooperation.',
  bodyHtml: '<p>Security and cooperation in Europe.</p>',
  datedAt: '2024-03-04T10:00:00.000Z',
  status: 'published',
  ...extra,
});

const freshIndex = () =>
  loadBitmapIndex({
    db: testStore.store.db,
    search: testStore.search,
    terms: testStore.terms,
    subtrees: () => catalog.subtrees,
    frequentTermMinDocuments: MIN_DOCUMENTS,
  });

const emptyIndex = () =>
  new DocumentBitmapIndex({
    db: testStore.store.db,
    search: testStore.search,
    terms: testStore.terms,
    subtrees: () => catalog.subtrees,
  });

/** Saves a snapshot of `index` at the log's current end, as the listing service would. */
async function snapshotOf(index: DocumentBitmapIndex, to = file) {
  const seq = await latestChangeSeq(testStore.store.db);
  return saveIndexSnapshot({ indexAtRest: async (look) => look(index, seq) }, testStore.store.db, to);
}

/** What the index answers for a spread of listings: ids by date, totals and facets. */
async function answers(index: DocumentBitmapIndex) {
  const queries = [
    {},
    { field: 'human-rights' },
    { source: 'field-operations' },
    { country: 'moldova', type: 'news' },
    { from: '2020-01-01', to: '2024-12-31' },
    { q: 'security' },
    { q: 'security -cooperation' },
    { q: 'secur*' },
    { q: 'sec* OR coop* -europ*' },
  ];
  const results = [];
  for (const query of queries) {
    const filter = parseFilter({ ...query, sort: 'newest', page_size: '100' }, catalog);
    results.push(await index.run(filter, new Date(NOW), { total: true, facets: true }));
  }
  return results;
}

beforeAll(async () => {
  testStore = await buildTestStore({ demo: 150 });
  catalog = await loadCatalog(testStore.store.db);
  file = path.join(testStore.directory, 'index.snapshot');
});
afterAll(() => testStore.cleanup());

describe('a restored index', () => {
  it('answers as one read from the database, the changes logged after the snapshot replayed', async () => {
    const original = await freshIndex();
    expect(original.frequentTermCount).toBeGreaterThan(0);
    const saved = await snapshotOf(original);
    expect(saved?.bytes).toBeGreaterThan(1_000);
    // Every term of the index, for prefixes, kept as it was.
    const vocabulary = original.state().postings?.vocabulary;
    expect(vocabulary?.terms.length).toBeGreaterThan(500);
    expect(vocabulary?.documents.length).toBe(vocabulary?.terms.length);
    expect(Math.max(...(vocabulary?.documents ?? []))).toBeGreaterThanOrEqual(MIN_DOCUMENTS);
    const kept = (await readIndexSnapshot(file)).state.postings;
    expect(kept?.vocabulary).toEqual(vocabulary);
    // And the rarer terms of each short prefix, together.
    const prefixes = original.state().postings?.prefixes ?? [];
    expect(prefixes.length).toBeGreaterThan(10);
    const contents = (entries: typeof prefixes) =>
      entries.map(([prefix, rest]) => [prefix, [...rest.all], [...rest.title], [...rest.summary]]);
    expect(contents(kept?.prefixes ?? [])).toEqual(contents(prefixes));

    // After the snapshot: a new document, one changed, one unpublished, one deleted, an embargo.
    const { writer, store } = testStore;
    const listed = await original.run(parseFilter({ sort: 'newest' }, catalog), new Date(NOW), {
      total: false,
      facets: false,
    });
    const [changed, unpublished, deleted] = listed.ids as [number, number, number];
    await store.transaction(async (tx) => {
      await writer.create(
        tx,
        input('written-after-the-snapshot', 'Security written after the snapshot', {
          sourceIds: [catalog.structureBySlug('mission-to-moldova')?.id as number],
          countryIds: [catalog.countryBySlug('moldova')?.id as number],
        }),
      );
      await writer.update(
        tx,
        changed,
        1,
        input('changed-after', 'Changed after the snapshot', { datedAt: '1999-01-01T00:00:00.000Z' }),
      );
      await writer.update(tx, unpublished, 1, input('unpublished-after', 'Unpublished', { status: 'draft' }));
      await writer.remove(tx, deleted);
      await writer.create(tx, input('embargoed-after', 'Embargoed', { publishAt: '2031-01-01T00:00:00.000Z' }));
    });

    const restored = emptyIndex();
    const { replayed } = await restoreIndex(restored, store.db, file);
    expect(replayed).toBeGreaterThanOrEqual(5);
    expect(restored.frequentTermCount).toBe(original.frequentTermCount);
    expect(await answers(restored)).toEqual(await answers(await freshIndex()));
  });

  it('holds no postings while they load, so that the next start loads them again', async () => {
    const index = emptyIndex();
    await index.load();
    const loading = index.loadTermPostings(MIN_DOCUMENTS);
    expect(index.state().postings).toBeNull();
    await loading;
    expect(index.state().postings?.terms.length).toBeGreaterThan(0);
  });

  it('is taken again and read back with nothing to replay', async () => {
    const index = await freshIndex();
    await snapshotOf(index);
    const restored = emptyIndex();
    expect((await restoreIndex(restored, testStore.store.db, file)).replayed).toBe(0);
    expect(await answers(restored)).toEqual(await answers(index));
  });
});

describe('a snapshot that does not fit is not used, and says why', () => {
  /** Rewrites a saved snapshot's header (its checksum still right: only the header lies). */
  function withHeader(change: (header: Record<string, unknown>) => void): string {
    const data = fs.readFileSync(file);
    const length = data.readUInt32LE(4);
    const header = JSON.parse(data.subarray(8, 8 + length).toString('utf8')) as Record<string, unknown>;
    change(header);
    const bytes = Buffer.from(JSON.stringify(header));
    const size = Buffer.alloc(4);
    size.writeUInt32LE(bytes.length);
    const target = path.join(testStore.directory, 'altered.snapshot');
    fs.writeFileSync(target, Buffer.concat([data.subarray(0, 4), size, bytes, data.subarray(8 + length)]));
    return target;
  }
  function altered(change: (data: Buffer) => Buffer): string {
    const target = path.join(testStore.directory, 'altered.snapshot');
    fs.writeFileSync(target, change(Buffer.from(fs.readFileSync(file))));
    return target;
  }
  const refusal = async (from: string) => {
    const error = await restoreIndex(emptyIndex(), testStore.store.db, from).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SnapshotUnusable);
    return (error as Error).message;
  };

  beforeAll(async () => {
    await snapshotOf(await freshIndex());
  });

  it.each([
    ['missing', () => path.join(testStore.directory, 'none.snapshot'), /there is none yet/],
    ['not a snapshot', () => altered(() => Buffer.from('hello, world')), /not an index snapshot/],
    ['truncated', () => altered((data) => data.subarray(0, data.length - 10)), /truncated/],
    [
      'a byte changed',
      () =>
        altered((data) => {
          data[data.length - 5] = (data[data.length - 5] as number) ^ 0xff;
          return data;
        }),
      /checksum/,
    ],
    [
      'a damaged header',
      () => altered((data) => Buffer.concat([data.subarray(0, 9), Buffer.from('}{'), data.subarray(11)])),
      /header is damaged/,
    ],
    [
      'of another format',
      () => withHeader((header) => Object.assign(header, { format: SNAPSHOT_FORMAT + 1 })),
      /format/,
    ],
    [
      'of another schema',
      () => withHeader((header) => Object.assign(header, { schema: '2020-01-01-older' })),
      /schema 2020-01-01-older/,
    ],
    [
      'of another database',
      () =>
        withHeader((header) => {
          const position = header.position as Record<string, unknown>;
          position.at = '2001-01-01T00:00:00.000Z';
        }),
      /is not this database's/,
    ],
    [
      'ahead of this database',
      () =>
        withHeader((header) => {
          const position = header.position as Record<string, unknown>;
          position.seq = Number(position.seq) + 1_000;
        }),
      /is not this database's/,
    ],
  ] as const)('%s', async (_case, make, reason) => {
    expect(await refusal(make())).toMatch(reason);
  });

  it('reads its own snapshot whole', async () => {
    const snapshot = await readIndexSnapshot(file);
    expect(snapshot.state.published.size).toBeGreaterThan(100);
  });
});

describe('the app across a restart', () => {
  it('reads the index from the database and keeps a snapshot; the next start loads it, with what was written between', async () => {
    const snapshotFile = path.join(testStore.directory, 'app.snapshot');
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://localhost:3000' });
    const start = async () => {
      const built = await buildApp(config, {
        store: testStore.store,
        rateLimit: null,
        countCacheTtlMs: 0,
        indexSnapshot: snapshotFile,
        frequentTermMinDocuments: MIN_DOCUMENTS,
      });
      await built.app.ready();
      await built.indexReady;
      return built;
    };
    const readiness = async (app: Awaited<ReturnType<typeof start>>['app']) =>
      JSON.parse((await app.inject({ url: '/readyz' })).body) as { index: string; loadedFrom: string };
    const found = async (app: Awaited<ReturnType<typeof start>>['app'], word: string) =>
      (JSON.parse((await app.inject({ url: `/api/v1/documents?q=${word}` })).body) as { total: number }).total;

    const first = await start();
    expect(await readiness(first.app)).toMatchObject({ index: 'ready', loadedFrom: 'database' });
    expect(fs.existsSync(snapshotFile)).toBe(true);
    await first.store.transaction((tx) =>
      first.writer.create(tx, input('before-shutdown', 'Quintessa before shutdown')),
    );
    expect(await found(first.app, 'quintessa')).toBe(1);
    await first.app.close();

    // Written while no server ran: in the log after the snapshot taken at shutdown.
    await testStore.store.transaction((tx) =>
      testStore.writer.create(tx, input('while-stopped', 'Quintessa written while stopped')),
    );
    const second = await start();
    expect(await readiness(second.app)).toMatchObject({ index: 'ready', loadedFrom: 'snapshot' });
    expect(second.context.listings.engine().name).toBe('bitmap');
    expect(await found(second.app, 'quintessa')).toBe(2);
    await second.app.close();
  });
});

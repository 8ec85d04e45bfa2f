// Listed documents' rows kept in memory: the same rows the database gives, read once, and never
// older than the change log: this process's writes are seen at its next read, another process's
// within a poll interval, a taxonomy change drops every row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { writerFor } from '../compose.ts';
import { recordChange } from '../documents/change-log.ts';
import { summariesOf } from '../documents/reader.ts';
import type { DocumentInput } from '../documents/writer.ts';
import { openStore, type Store } from '../store/store.ts';
import { SummaryRows } from './summary-rows.ts';

const WITHIN = { timeout: 2_000, interval: 20 };

const input = (title: string, sourceIds: readonly number[] = []): DocumentInput => ({
  kind: 'news',
  slug: title.toLowerCase().replace(/\W+/g, '-'),
  title,
  summary: `${title}, in short`,
  bodyHtml: '<p>Text</p>',
  datedAt: '2026-11-30T10:00:00.000Z',
  status: 'published',
  sourceIds,
});

describe('SummaryRows', () => {
  let testStore: TestStore;
  let other: Store;
  let rows: SummaryRows;
  let ids: number[];
  let statements = 0;

  beforeAll(async () => {
    testStore = await buildTestStore();
    const { store, writer } = testStore;
    ids = [];
    for (const title of ['First note', 'Second note', 'Third note', 'Fourth note'])
      ids.push(await store.transaction((tx) => writer.create(tx, input(title))));
    store.observeQueries((sql) => {
      if (sql.includes('"d"."summary"')) statements += 1;
    });
    // Another server process on the same database file.
    other = await openStore(`sqlite:${testStore.directory}/test.db`);
    rows = await SummaryRows.start(store, { pollMs: 20, maxRows: 3 });
  });
  afterAll(async () => {
    rows.close();
    await other.close();
    await testStore.cleanup();
  });

  const titleOf = async (id: number) => (await rows.of([id]))[0]?.title;

  it('gives the rows summariesOf reads, then the same without a statement', async () => {
    const first = ids.slice(0, 3);
    const expected = await summariesOf(testStore.store.db, first);
    const before = statements;
    expect(await rows.of(first)).toEqual(expect.arrayContaining(expected));
    expect(statements).toBe(before + 1);
    expect(await rows.of(first)).toHaveLength(3);
    expect(statements).toBe(before + 1);
  });

  it('holds at most maxRows, the least recently used dropped first', async () => {
    await rows.of(ids);
    expect(rows.size).toBe(3);
  });

  it('reads again a document this process changed, at its next read', async () => {
    const { store, writer } = testStore;
    const id = ids[0] as number;
    await titleOf(id);
    await store.transaction((tx) => writer.update(tx, id, 1, input('First note, revised')));
    expect(await titleOf(id)).toBe('First note, revised');
  });

  it('reads again a document another process changed, within a poll interval', async () => {
    const id = ids[1] as number;
    await titleOf(id);
    const writer = writerFor(other);
    await other.transaction((tx) => writer.update(tx, id, 1, input('Second note, revised elsewhere')));
    await expect.poll(() => titleOf(id), WITHIN).toBe('Second note, revised elsewhere');
  });

  it('drops every row when the taxonomies change (a structure removed takes its documents’ sources)', async () => {
    const { store } = testStore;
    const id = ids[3] as number;
    await titleOf(id);
    await store.db.updateTable('documents').set({ title: 'Changed without the writer' }).where('id', '=', id).execute();
    expect(await titleOf(id)).toBe('Fourth note');
    await store.transaction((tx) =>
      recordChange(tx, { documentId: null, action: 'taxonomies', at: new Date().toISOString() }),
    );
    expect(await titleOf(id)).toBe('Changed without the writer');
  });

  it('gives frozen rows: a caller cannot change what the next one reads', async () => {
    const [row] = await rows.of([ids[2] as number]);
    expect(Object.isFrozen(row)).toBe(true);
    expect(Object.isFrozen(row?.sourceIds)).toBe(true);
  });
});

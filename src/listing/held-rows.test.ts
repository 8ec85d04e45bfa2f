// Listed documents' rows and read documents' records kept in memory: the same rows the database
// gives, read once, and never older than the change log: this process's writes are seen at its
// next read, another process's within a poll interval, a taxonomy change drops every row. On
// both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { writerFor } from '../compose.ts';
import { recordChange } from '../documents/change-log.ts';
import { findVisibleDocumentWithTerms, summariesOf } from '../documents/reader.ts';
import type { DocumentInput } from '../documents/writer.ts';
import { openStore, type Store } from '../store/store.ts';
import { HeldRows } from './held-rows.ts';

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

describe('HeldRows', () => {
  let testStore: TestStore;
  let other: Store;
  let rows: HeldRows;
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
    other = await openStore(testStore.databaseUrl);
    rows = await HeldRows.start(store, { pollMs: 20, maxRows: 3 });
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
    const [a, b, c, d] = ids as [number, number, number, number];
    await rows.of([a, b, c]);
    await rows.of([a]);
    await rows.of([d]);
    expect(rows.size).toBe(3);
    const before = statements;
    await rows.of([a, c, d]);
    expect(statements).toBe(before);
    await rows.of([b]);
    expect(statements).toBe(before + 1);
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

describe('HeldRows: documents’ records', () => {
  let testStore: TestStore;
  let other: Store;
  let rows: HeldRows;
  let statements = 0;
  const now = () => new Date().toISOString();
  const ids: Record<string, number> = {};
  const pathOf = async (id: number) =>
    (
      await testStore.store.db
        .selectFrom('documents')
        .select('permalink')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).permalink as string;

  beforeAll(async () => {
    testStore = await buildTestStore();
    const { store, writer } = testStore;
    const create = (title: string, extra: Partial<DocumentInput> = {}) =>
      store.transaction((tx) => writer.create(tx, { ...input(title), ...extra }));
    ids.plain = await create('Plain record', { fieldIds: [], countryIds: [] });
    ids.embargoed = await create('Embargoed record', { publishAt: '2026-12-01T12:00:00.000Z' });
    ids.elsewhere = await create('Changed elsewhere');
    ids.gone = await create('Taken down');
    for (const title of ['Long one', 'Long two', 'Long three'])
      ids[title] = await create(title, { bodyHtml: `<p>${'word '.repeat(200)}</p>` });
    store.observeQueries((sql) => {
      if (/"d"\."permalink" = (\?|\$\d+)/.test(sql)) statements += 1;
    });
    other = await openStore(testStore.databaseUrl);
    rows = await HeldRows.start(store, { pollMs: 20, maxDocumentCharacters: 2_500 });
  });
  afterAll(async () => {
    rows.close();
    await other.close();
    await testStore.cleanup();
  });

  it('gives what findVisibleDocumentWithTerms reads, then the same without a statement, frozen', async () => {
    const path = await pathOf(ids.plain as number);
    const expected = await findVisibleDocumentWithTerms(testStore.store.db, path, now());
    expect(expected?.doc.title).toBe('Plain record');
    const before = statements;
    expect(await rows.document(path, now())).toEqual(expected);
    expect(statements).toBe(before + 1);
    const again = await rows.document(path, now());
    expect(again).toEqual(expected);
    expect(statements).toBe(before + 1);
    expect(Object.isFrozen(again?.doc)).toBe(true);
    expect(Object.isFrozen(again?.terms.fieldIds)).toBe(true);
  });

  it('never shows a held document at a moment before its embargo (the clock can go back)', async () => {
    const path = await pathOf(ids.embargoed as number);
    expect((await rows.document(path, now()))?.doc.title).toBe('Embargoed record');
    expect(await rows.document(path, '2026-12-01T11:59:59.999Z')).toBeUndefined();
    expect((await rows.document(path, '2026-12-01T12:00:00.000Z'))?.doc.title).toBe('Embargoed record');
  });

  it('reads again a document this process changed, at its next read', async () => {
    const { store, writer } = testStore;
    const id = ids.plain as number;
    const path = await pathOf(id);
    await rows.document(path, now());
    await store.transaction((tx) => writer.update(tx, id, 1, input('Plain record, revised')));
    expect((await rows.document(path, now()))?.doc.title).toBe('Plain record, revised');
  });

  it('forgets a document another process changed or took down, within a poll interval', async () => {
    const changed = await pathOf(ids.elsewhere as number);
    const gone = await pathOf(ids.gone as number);
    await rows.document(changed, now());
    await rows.document(gone, now());
    const writer = writerFor(other);
    await other.transaction((tx) => writer.update(tx, ids.elsewhere as number, 1, input('Changed elsewhere, again')));
    await other.transaction((tx) => writer.remove(tx, ids.gone as number));
    await expect
      .poll(async () => (await rows.document(changed, now()))?.doc.title, WITHIN)
      .toBe('Changed elsewhere, again');
    await expect.poll(() => rows.document(gone, now()), WITHIN).toBeUndefined();
  });

  it('holds records up to a budget of characters, the least recently read dropped first', async () => {
    for (const title of ['Long one', 'Long two', 'Long three'])
      await rows.document(await pathOf(ids[title] as number), now());
    // Each long body is about 1,000 characters: two fit in 2,500 with nothing else.
    expect(rows.documentCount).toBe(2);
    const before = statements;
    await rows.document(await pathOf(ids['Long three'] as number), now());
    expect(statements).toBe(before);
    await rows.document(await pathOf(ids['Long one'] as number), now());
    expect(statements).toBe(before + 1);
  });
});

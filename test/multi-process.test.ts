// Several server processes on one PostgreSQL database: a document published by another process
// is in each server's listings, search, counts and facets within a second (the change log, read
// at once on NOTIFY, and polled), and gone from them as soon when it is unpublished.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writerFor } from '../src/compose.ts';
import { setUpDatabase } from '../src/setup.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { loadCatalog } from '../src/taxonomy/catalog.ts';
import { createTestDatabase, skipPostgres, type TestDatabase } from './support/postgres.ts';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';

/** What a server shows of the word's documents: a search, a listing's total and its facet. */
async function shown(origin: string, word: string, field: string) {
  const search = (await (await fetch(`${origin}/search.json?q=${word}&facets=true`)).json()) as {
    total: number;
    items: { title: string }[];
    facets?: { field?: { value: string; count: number }[] };
  };
  const listing = (await (await fetch(`${origin}/documents.json?field=${field}&page_size=1`)).json()) as {
    total: number;
  };
  return {
    found: search.items.map((item) => item.title),
    total: search.total,
    facet: search.facets?.field?.find((entry) => entry.value === field)?.count ?? 0,
    listed: listing.total,
  };
}

/** Polls until `check` holds on every server; resolves with how long that took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`not seen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(skipPostgres)('two server processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let store: Store;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('processes');
    store = await openStore(database.url);
    await setUpDatabase(store, { demo: 40 });
    servers = await Promise.all([
      startServerProcess(database.url, { readyWithinMs: 90_000 }),
      startServerProcess(database.url, { readyWithinMs: 90_000 }),
    ]);
  }, 180_000);

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(
      servers.map((server) =>
        server.child.exitCode === null ? new Promise((resolve) => server.child.once('exit', resolve)) : null,
      ),
    );
    await store?.close();
    await database?.drop();
  });

  it('see a document another process publishes within a second, and its withdrawal too', async () => {
    const catalog = await loadCatalog(store.db);
    const field = catalog.fieldBySlug('gender-equality');
    if (!field) throw new Error('taxonomies not seeded');
    const before = await Promise.all(servers.map((server) => shown(server.origin, 'quillonwort', field.slug)));
    for (const view of before) expect(view).toMatchObject({ found: [], total: 0, facet: 0 });

    const writer = writerFor(store);
    const input = {
      kind: 'press-release' as const,
      slug: 'quillonwort-agreement-reached',
      title: 'Quillonwort agreement reached',
      summary: 'A document written by a third process.',
      bodyHtml: '<p>VIENNA – The quillonwort agreement.</p>',
      datedAt: new Date(Date.now() - 3_600_000).toISOString(),
      place: 'Vienna',
      sourceIds: [catalog.structureBySlug('secretariat')?.id as number],
      status: 'published' as const,
      fieldIds: [field.id],
    };
    const id = await store.transaction((tx) => writer.create(tx, input));
    const seenAfter = await within(1_000, async () => {
      const views = await Promise.all(servers.map((server) => shown(server.origin, 'quillonwort', field.slug)));
      return views.every(
        (view, index) =>
          view.total === 1 &&
          view.found[0] === 'Quillonwort agreement reached' &&
          view.facet === 1 &&
          view.listed === (before[index]?.listed ?? 0) + 1,
      );
    });
    expect(seenAfter).toBeLessThan(1_000);

    await store.transaction((tx) => writer.update(tx, id, 1, { ...input, status: 'draft' }));
    const goneAfter = await within(1_000, async () => {
      const views = await Promise.all(servers.map((server) => shown(server.origin, 'quillonwort', field.slug)));
      return views.every((view, index) => view.total === 0 && view.listed === before[index]?.listed);
    });
    expect(goneAfter).toBeLessThan(1_000);
    console.log(`seen by both servers after ${seenAfter.toFixed(0)} ms, gone after ${goneAfter.toFixed(0)} ms`);
  });
});

// The store's contract: every engine Dateline supports must pass these tests unchanged.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument, type DocumentInput, findVisibleDocument, updateDocument } from '../documents/repository.ts';
import { SlugTakenError, StaleRevisionError } from '../errors.ts';
import { EMPTY_CHOICES, EMPTY_FILTER, type Filter } from '../listing/filter.ts';
import { runListing } from '../listing/listing.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { readTaxonomyData } from '../taxonomy/data-files.ts';
import { seedTaxonomies } from '../taxonomy/seed.ts';
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
];

describe.each(ENGINES)('store contract on $name', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let catalog: Catalog;

  const input = (overrides: Partial<DocumentInput> = {}): DocumentInput => ({
    kind: 'press-release',
    slug: 'contract-document',
    title: 'Contract document',
    bodyHtml: '<p>Body</p>',
    publishedAt: '2020-05-05T10:00:00.000Z',
    status: 'published',
    ...overrides,
  });

  type Include = { [D in keyof Filter['choices']]?: Filter['choices'][D]['include'] };
  const filter = (include: Include, overrides: Partial<Filter> = {}): Filter => ({
    ...EMPTY_FILTER,
    choices: Object.fromEntries(
      Object.entries(EMPTY_CHOICES).map(([d, c]) => [d, { ...c, include: include[d as keyof Include] ?? [] }]),
    ) as unknown as Filter['choices'],
    ...overrides,
  });
  const NOW = '2026-01-01T00:00:00.000Z';

  beforeAll(async () => {
    ({ store, dispose } = await engine.open());
    const steps = await store.migrate();
    expect(steps).toEqual(['applied: 2026-11-30-initial-schema', 'applied: 2026-11-30-search-index']);
    await store.transaction((tx) => seedTaxonomies(tx, readTaxonomyData()));
    catalog = await loadCatalog(store.db);
  });
  afterAll(() => dispose());

  it('migrating again does nothing', async () => {
    expect(await store.migrate()).toEqual([]);
  });

  it('creates a document at revision 1 with its terms and a revision record', async () => {
    const humanRights = catalog.fieldBySlug('human-rights')?.id as number;
    const austria = catalog.countryBySlug('austria')?.id as number;
    const id = await store.transaction((tx) =>
      createDocument(tx, input({ fieldIds: [humanRights], countryIds: [austria] })),
    );
    const doc = await store.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(doc.revision).toBe(1);
    expect(doc.published_at).toBe('2020-05-05T10:00:00.000Z');
    const revisions = await store.db
      .selectFrom('document_revisions')
      .selectAll()
      .where('document_id', '=', id)
      .execute();
    expect(revisions.map((r) => r.revision)).toEqual([1]);
    expect(JSON.parse(revisions[0]?.snapshot ?? '{}').fieldIds).toEqual([humanRights]);
  });

  it('sanitises hostile HTML on the way in', async () => {
    const id = await store.transaction((tx) =>
      createDocument(
        tx,
        input({
          slug: 'hostile',
          bodyHtml:
            '<p onclick="steal()">Hi<script>alert(1)</script><a href="javascript:alert(1)">x</a></p><iframe src="//x"></iframe>',
        }),
      ),
    );
    const doc = await store.db
      .selectFrom('documents')
      .select('body_html')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(doc.body_html).toBe('<p>Hi<a>x</a></p>');
  });

  it('refuses a save against a stale revision and keeps the stored text', async () => {
    const id = await store.transaction((tx) => createDocument(tx, input({ slug: 'locking' })));
    await store.transaction((tx) => updateDocument(tx, id, 1, input({ slug: 'locking', title: 'First editor' })));
    await expect(
      store.transaction((tx) => updateDocument(tx, id, 1, input({ slug: 'locking', title: 'Second editor' }))),
    ).rejects.toBeInstanceOf(StaleRevisionError);
    const doc = await store.db
      .selectFrom('documents')
      .select(['title', 'revision'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(doc).toEqual({ title: 'First editor', revision: 2 });
  });

  it('keeps slugs unique per kind and language', async () => {
    await store.transaction((tx) => createDocument(tx, input({ slug: 'same-slug' })));
    await expect(store.transaction((tx) => createDocument(tx, input({ slug: 'same-slug' })))).rejects.toBeInstanceOf(
      SlugTakenError,
    );
    await store.transaction((tx) => createDocument(tx, input({ slug: 'same-slug', kind: 'news' })));
    await store.transaction((tx) => createDocument(tx, input({ slug: 'same-slug', language: 'fr' })));
  });

  it('rolls a failed transaction back entirely', async () => {
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom('documents')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await expect(
      store.transaction(async (tx) => {
        await createDocument(tx, input({ slug: 'rolled-back' }));
        throw new Error('crash in the middle of a write');
      }),
    ).rejects.toThrow('crash');
    expect(await count()).toBe(before);
  });

  it('deleting a document removes its terms and revisions (ON DELETE CASCADE)', async () => {
    const field = catalog.fieldBySlug('youth')?.id as number;
    const id = await store.transaction((tx) => createDocument(tx, input({ slug: 'to-delete', fieldIds: [field] })));
    await store.db.deleteFrom('documents').where('id', '=', id).execute();
    const left = await store.db
      .selectFrom('document_fields')
      .select('field_id')
      .where('document_id', '=', id)
      .execute();
    const revisions = await store.db
      .selectFrom('document_revisions')
      .select('revision')
      .where('document_id', '=', id)
      .execute();
    expect([left, revisions]).toEqual([[], []]);
  });

  it('hides drafts and embargoed documents until their second', async () => {
    await store.transaction(async (tx) => {
      await createDocument(tx, input({ slug: 'draft', status: 'draft' }));
      await createDocument(tx, input({ slug: 'embargoed', publishedAt: '2026-01-01T00:00:01.000Z' }));
    });
    const address = (slug: string) => ({ kind: 'press-release' as const, language: 'en', slug });
    expect(await findVisibleDocument(store.db, address('draft'), NOW)).toBeUndefined();
    expect(await findVisibleDocument(store.db, address('embargoed'), NOW)).toBeUndefined();
    expect(await findVisibleDocument(store.db, address('embargoed'), '2026-01-01T00:00:01.000Z')).toBeDefined();
    const listing = await runListing(store.db, filter({ type: ['press-release'] }), NOW);
    expect(listing.items.map((d) => d.slug)).not.toContain('embargoed');
    expect(listing.items.map((d) => d.slug)).not.toContain('draft');
  });

  it('filters by field, country, source, year and kind, newest first', async () => {
    const trafficking = catalog.fieldBySlug('combating-trafficking-in-human-beings')?.id as number;
    const spain = catalog.countryBySlug('spain')?.id as number;
    const mission = catalog.structureBySlug('mission-to-serbia')?.id as number;
    await store.transaction(async (tx) => {
      await createDocument(tx, input({ slug: 'f1', publishedAt: '2011-03-01T00:00:00Z', fieldIds: [trafficking] }));
      await createDocument(
        tx,
        input({ slug: 'f2', publishedAt: '2012-03-01T00:00:00Z', fieldIds: [trafficking], countryIds: [spain] }),
      );
      await createDocument(
        tx,
        input({ slug: 'f3', kind: 'news', publishedAt: '2011-07-01T00:00:00Z', sourceId: mission }),
      );
    });
    const slugs = async (include: Include, overrides: Partial<Filter> = {}) =>
      (await runListing(store.db, filter(include, overrides), NOW)).items.map((d) => d.slug);
    expect(await slugs({ field: [trafficking] })).toEqual(['f2', 'f1']);
    expect(await slugs({ field: [trafficking] }, { sort: 'oldest' })).toEqual(['f1', 'f2']);
    expect(await slugs({ country: [spain] })).toEqual(['f2']);
    expect(await slugs({ source: [mission] })).toEqual(['f3']);
    expect(await slugs({ year: [2011] })).toEqual(['f3', 'f1']);
    expect(await slugs({ year: [2011], type: ['news'] })).toEqual(['f3']);
    expect(await slugs({}, { from: '2011-07-01', to: '2012-03-01' })).toEqual(['f2', 'f3']);
    const paged = await runListing(store.db, filter({ field: [trafficking] }, { pageSize: 1, page: 2 }), NOW);
    expect({ total: paged.total, pages: paged.pageCount, slugs: paged.items.map((d) => d.slug) }).toEqual({
      total: 2,
      pages: 2,
      slugs: ['f1'],
    });
  });
});

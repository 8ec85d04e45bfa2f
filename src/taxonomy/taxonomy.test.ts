import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { bundledPageFiles } from '../setup.ts';
import { renderMenu } from '../site/menu.ts';
import { type Catalog, loadCatalog } from './catalog.ts';
import { readTaxonomyData } from './data-files.ts';
import { seedTaxonomies } from './seed.ts';

const SEED_PAGE = bundledPageFiles().find((file) => file.includes('osce-plays-key-role')) as string;

/** Every label of the seed page's menu: the lines before its content block, without the "-" separators. */
function seedMenuLabels(): string[] {
  const lines = fs.readFileSync(SEED_PAGE, 'utf8').split('\n');
  const end = lines.indexOf('Press release');
  return lines
    .slice(0, end)
    .map((line) => line.replace(/^-\s?/, '').trim())
    .filter((label) => label !== '');
}

const textOf = (markup: string) =>
  [...markup.matchAll(/<(?:a|summary)\b[^>]*>([^<]*)</g)].map((m) =>
    (m[1] ?? '').replace(/&amp;/g, '&').replace(/&#39;/g, "'").trim(),
  );

describe('taxonomy data files', () => {
  const data = readTaxonomyData();

  it('holds the seed counts', () => {
    expect(data.fieldsOfWork.filter((f) => f.kind === 'field')).toHaveLength(23);
    expect(data.fieldsOfWork.filter((f) => f.kind === 'section').map((f) => f.name)).toEqual([
      'Field operations',
      'Projects',
    ]);
    expect(data.meetingSeries).toHaveLength(17);
    expect(data.countries.filter((c) => c.role === 'participating')).toHaveLength(57);
    expect(data.countries.filter((c) => c.role !== 'participating')).toHaveLength(11);
    expect(data.countries.filter((c) => c.role === 'asian-partner')).toHaveLength(5);
    expect(data.countries.filter((c) => c.role === 'mediterranean-partner')).toHaveLength(6);
    const roots = new Map(data.structures.map((s) => [s.kind, s]));
    expect(roots.get('secretariat')?.children).toHaveLength(12);
    expect(roots.get('institutions-group')?.children).toHaveLength(3);
    expect(roots.get('field-operations-group')?.children).toHaveLength(12);
    expect(roots.get('closed-field-operations-group')?.children?.length).toBeGreaterThanOrEqual(6);
    const years = data.chairpersonships.map((c) => c.year);
    expect(years).toEqual(Array.from({ length: 2026 - 1991 + 1 }, (_, i) => 1991 + i));
  });

  it('keeps ISO codes and slugs unique', () => {
    const iso = data.countries.map((c) => c.iso);
    expect(new Set(iso).size).toBe(iso.length);
    const structureSlugs: string[] = [];
    const walk = (nodes: typeof data.structures) => {
      for (const node of nodes) {
        structureSlugs.push(node.slug);
        walk(node.children ?? []);
      }
    };
    walk(data.structures);
    expect(new Set(structureSlugs).size).toBe(structureSlugs.length);
  });

  it('gives every active field operation a seat and a country', () => {
    const operations = data.structures.find((s) => s.kind === 'field-operations-group')?.children ?? [];
    for (const operation of operations) {
      expect(operation.seat, operation.name).toBeTruthy();
      expect(operation.country, operation.name).toBeTruthy();
    }
  });
});

describe('seeded taxonomies', () => {
  let testStore: TestStore;
  let catalog: Catalog;

  beforeAll(async () => {
    testStore = await buildTestStore();
    catalog = await loadCatalog(testStore.store.db);
  });
  afterAll(() => testStore.cleanup());

  it('seeding again updates and never duplicates', async () => {
    const { store } = testStore;
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom('structures')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await store.transaction((tx) => seedTaxonomies(tx, readTaxonomyData(), '2030-01-01T00:00:00.000Z'));
    expect(await count()).toBe(before);
    expect(before).toBe(catalog.structures.length);
  });

  it('logs a taxonomies change only when seeding changed something', async () => {
    const { store } = testStore;
    const log = () =>
      store.db
        .selectFrom('document_changes')
        .select(['document_id', 'action', 'revision', 'at'])
        .where('action', '=', 'taxonomies')
        .orderBy('seq')
        .execute();
    // Setting the database up seeded them once, into empty tables.
    const initial = await log();
    expect(initial).toHaveLength(1);

    await store.transaction((tx) => seedTaxonomies(tx, readTaxonomyData(), '2030-01-02T00:00:00.000Z'));
    expect(await log()).toEqual(initial);

    const renamed = readTaxonomyData();
    const youth = renamed.fieldsOfWork.find((field) => field.slug === 'youth');
    if (!youth) throw new Error('the taxonomy has no "youth" field');
    youth.name = 'Youth and young people';
    await store.transaction((tx) => seedTaxonomies(tx, renamed, '2030-01-03T00:00:00.000Z'));
    expect(await log()).toEqual([
      ...initial,
      { document_id: null, action: 'taxonomies', revision: null, at: '2030-01-03T00:00:00.000Z' },
    ]);
    expect((await loadCatalog(store.db)).fieldBySlug('youth')?.name).toBe('Youth and young people');

    // Seeding the files again changes the name back, which is a change too.
    await store.transaction((tx) => seedTaxonomies(tx, readTaxonomyData(), '2030-01-04T00:00:00.000Z'));
    expect((await log()).map((row) => row.at)).toEqual([
      ...initial.map((row) => row.at),
      '2030-01-03T00:00:00.000Z',
      '2030-01-04T00:00:00.000Z',
    ]);
    expect((await loadCatalog(store.db)).fieldBySlug('youth')?.name).toBe(catalog.fieldBySlug('youth')?.name);
  });

  it('computes the chairpersonship from the date, never from stored text', () => {
    expect(catalog.chairpersonshipAt(new Date('2026-06-01T00:00:00Z'))?.country?.name).toBe('Switzerland');
    expect(catalog.chairpersonshipAt(new Date('2025-06-01T00:00:00Z'))?.country?.name).toBe('Finland');
    expect(catalog.chairpersonshipAt(new Date('2007-09-11T00:00:00Z'))?.label).toBe('2007 Spanish Chairmanship');
  });

  it('renders every label of the seed menu, in 2025 exactly as the seed shows it', () => {
    const labels = new Set(textOf(renderMenu(catalog, new Date('2025-03-01T00:00:00Z')).value));
    const missing = seedMenuLabels().filter((label) => !labels.has(label));
    expect(missing).toEqual([]);
    expect(seedMenuLabels().length).toBeGreaterThan(140);
  });

  it('moves the chairpersonship marker with the year', () => {
    const labels = textOf(renderMenu(catalog, new Date('2026-11-30T00:00:00Z')).value);
    expect(labels).toContain('Switzerland – OSCE Chairpersonship 2026');
    expect(labels).toContain('Finland');
    expect(labels.filter((label) => label.includes('Chairpersonship 20'))).toHaveLength(1);
  });

  it('resolves legacy names to structures', () => {
    expect(catalog.structureByName('OSCE Secretariat')?.slug).toBe('secretariat');
    expect(catalog.structureByName('Secretariat')?.slug).toBe('secretariat');
    expect(catalog.structureByName('ODIHR')?.kind).toBe('institution');
    expect(catalog.structureByName('Nowhere Office')).toBeUndefined();
  });
});

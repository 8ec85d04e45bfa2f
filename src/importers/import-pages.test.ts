import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { ImportFormatError } from '../errors.ts';
import { bundledPageFiles } from '../setup.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { importLegacyPages } from './import-pages.ts';
import { parseLegacyPage } from './legacy-page.ts';

const SEED_PAGE = bundledPageFiles().find((file) => file.includes('osce-plays-key-role')) as string;
const SEED_TEXT = fs.readFileSync(SEED_PAGE, 'utf8');

describe('parseLegacyPage on the seed page', () => {
  const page = parseLegacyPage(SEED_TEXT, SEED_PAGE);

  it('reads the content block after the menu', () => {
    expect(page.kind).toBe('press-release');
    expect(page.title).toBe('OSCE plays key role in fight against human trafficking, top official says');
    expect(page.source).toBe('OSCE Secretariat');
    expect(page.fieldsOfWork).toEqual(['Human rights', 'Combating trafficking in human beings']);
    expect(page.place).toBe('Vienna');
  });

  it('takes the date from the dateline because the Date: value is empty', () => {
    expect(page.date).toBe('2007-09-11');
  });

  it('keeps every body paragraph in order, the dateline first', () => {
    expect(page.paragraphs[0]).toMatch(/^VIENNA, 11 September 2007 - The OSCE plays a key role/);
    expect(page.paragraphs.at(-1)).toMatch(/^He also said Portugal had created a centre/);
    expect(page.paragraphs).toHaveLength(9);
    expect(page.paragraphs.some((p) => p.startsWith('- '))).toBe(false);
  });
});

describe('parseLegacyPage on malformed input', () => {
  const contentBlock = (lines: string[]) => ['-', 'Our work', '- Arms control', ...lines].join('\n');

  it.each([
    ['no content block', contentBlock(['Just text']), 'page.txt:4: no content block'],
    ['an empty title', contentBlock(['Press release', '', '- Date:', 'Body']), 'page.txt:5: the title line is empty'],
    [
      'an unreadable date',
      contentBlock(['News', 'A title', '- Date:', '- 32 Foo 2007', 'Body']),
      'page.txt:6: cannot read the date "32 Foo 2007"',
    ],
    [
      'no date anywhere',
      contentBlock(['News', 'A title', '- Date:', '- Place:', '- VIENNA', 'Body without dateline']),
      'page.txt:9: no date',
    ],
    [
      'an unknown label',
      contentBlock(['News', 'A title', '- Date:', '- Colour:', '- blue', 'Body']),
      'page.txt:7: unknown label',
    ],
    ['an empty body', contentBlock(['News', 'A title', '- Date:', '- 11 September 2007']), 'the body is empty'],
    ['binary content', 'abc\u0000def', 'page.txt:1: the file is binary'],
  ])('fails on %s, naming file and line', (_, text, message) => {
    expect(() => parseLegacyPage(text, 'page.txt')).toThrow(ImportFormatError);
    expect(() => parseLegacyPage(text, 'page.txt')).toThrow(message);
  });
});

describe('importLegacyPages', () => {
  let testStore: TestStore;
  let catalog: Catalog;

  beforeAll(async () => {
    testStore = await buildTestStore();
    catalog = await loadCatalog(testStore.store.db);
  });
  afterAll(() => testStore.cleanup());

  const documentCount = async () =>
    Number(
      (
        await testStore.store.db
          .selectFrom('documents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stores the seed press release with every field resolved', async () => {
    const { db } = testStore.store;
    const doc = await db
      .selectFrom('documents')
      .selectAll()
      .where('slug', '=', 'osce-plays-key-role-in-fight-against-human-trafficking-top-official-says')
      .executeTakeFirstOrThrow();
    expect(doc.kind).toBe('press-release');
    expect(doc.title).toBe('OSCE plays key role in fight against human trafficking, top official says');
    expect(doc.published_at).toBe('2007-09-11T00:00:00.000Z');
    expect(doc.place).toBe('Vienna');
    expect(doc.status).toBe('published');
    expect(doc.is_demo).toBe(0);
    expect(catalog.structureById(doc.source_id as number)?.slug).toBe('secretariat');
    const fields = await db
      .selectFrom('document_fields')
      .select('field_id')
      .where('document_id', '=', doc.id)
      .execute();
    expect(fields.map((f) => catalog.fieldById(f.field_id)?.name).sort()).toEqual([
      'Combating trafficking in human beings',
      'Human rights',
    ]);
    const countries = await db
      .selectFrom('document_countries')
      .select('country_id')
      .where('document_id', '=', doc.id)
      .execute();
    expect(countries.map((c) => catalog.countryById(c.country_id)?.name).sort()).toEqual([
      'Austria',
      'Portugal',
      'Spain',
    ]);
    const paragraphs = doc.body_html.match(/<p>/g) ?? [];
    expect(paragraphs).toHaveLength(9);
    expect(doc.body_html).toContain('<p>"We need permanent awareness campaigns');
  });

  it('re-importing the same page changes nothing', async () => {
    const before = await documentCount();
    const [result] = await importLegacyPages(testStore.store, catalog, [SEED_PAGE]);
    expect(result?.outcome).toBe('unchanged');
    expect(await documentCount()).toBe(before);
  });

  it('re-importing an edited page updates it as a new revision, never a duplicate', async () => {
    const edited = path.join(testStore.directory, 'edited.txt');
    fs.writeFileSync(edited, SEED_TEXT.replace('He also said Portugal', 'He further said Portugal'));
    const before = await documentCount();
    const [result] = await importLegacyPages(testStore.store, catalog, [edited]);
    expect(result?.outcome).toBe('updated');
    expect(await documentCount()).toBe(before);
    const doc = await testStore.store.db
      .selectFrom('documents')
      .select(['revision', 'body_html'])
      .where('id', '=', result?.documentId as number)
      .executeTakeFirstOrThrow();
    expect(doc.revision).toBe(2);
    expect(doc.body_html).toContain('He further said Portugal');
  });

  it('stores nothing when any file of a batch is malformed', async () => {
    const good = path.join(testStore.directory, 'good.txt');
    fs.writeFileSync(good, SEED_TEXT.replace('OSCE plays key role', 'A different title: OSCE plays key role'));
    const bad = path.join(testStore.directory, 'bad.txt');
    fs.writeFileSync(bad, SEED_TEXT.replace('- OSCE Secretariat', '- Ministry of Nowhere'));
    const before = await documentCount();
    await expect(importLegacyPages(testStore.store, catalog, [good, bad])).rejects.toThrow(
      `${bad}:158: unknown source "Ministry of Nowhere"`,
    );
    expect(await documentCount()).toBe(before);
  });

  it('names a file that cannot be read', async () => {
    await expect(importLegacyPages(testStore.store, catalog, ['/nonexistent/page.txt'])).rejects.toThrow(
      '/nonexistent/page.txt:0: cannot read the file (ENOENT)',
    );
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { findVisibleDocumentById } from '../documents/reader.ts';
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
    expect(page.sources).toEqual(['OSCE Secretariat']);
    expect(page.lines.sources).toEqual([158]);
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

describe('parseLegacyPage with several sources and places', () => {
  const variant = (source: string, place = '- VIENNA') =>
    parseLegacyPage(SEED_TEXT.replace('- OSCE Secretariat', source).replace('- VIENNA', place), 'page.txt');

  it('reads comma-separated sources on one line, the lead first, each at that line', () => {
    const page = variant('- Chairpersonship, Mission to Moldova');
    expect(page.sources).toEqual(['Chairpersonship', 'Mission to Moldova']);
    expect(page.lines.sources).toEqual([158, 158]);
    expect(page.lines.source).toBe(157);
  });

  it('reads sources on several "- " lines under "- Source:", each at its own line', () => {
    const page = variant('- Chairpersonship\n- Mission to Moldova, OSCE Secretariat');
    expect(page.sources).toEqual(['Chairpersonship', 'Mission to Moldova', 'OSCE Secretariat']);
    expect(page.lines.sources).toEqual([158, 159, 159]);
    // The labels after the sources are still read.
    expect(page.fieldsOfWork).toEqual(['Human rights', 'Combating trafficking in human beings']);
  });

  it.each([
    ['a slash', '- CHISINAU/VIENNA'],
    ['a comma', '- Chisinau, Vienna'],
    ['one line each', '- CHISINAU\n- VIENNA'],
  ])('reads several cities written with %s as "Chisinau/Vienna"', (_, place) => {
    expect(variant('- OSCE Secretariat', place).place).toBe('Chisinau/Vienna');
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
    const record = await findVisibleDocumentById(db, doc.id, new Date().toISOString());
    expect(record?.sourceIds.map((id) => catalog.structureById(id)?.slug)).toEqual(['secretariat']);
    expect(doc.dated_at).toBe('2007-09-11T00:00:00.000Z');
    expect(doc.permalink).toBe(
      '/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says',
    );
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
    const [result] = await importLegacyPages(testStore.store, testStore.writer, catalog, [SEED_PAGE]);
    expect(result?.outcome).toBe('unchanged');
    expect(await documentCount()).toBe(before);
  });

  it('re-importing an edited page updates it as a new revision, never a duplicate', async () => {
    const edited = path.join(testStore.directory, 'edited.txt');
    fs.writeFileSync(edited, SEED_TEXT.replace('He also said Portugal', 'He further said Portugal'));
    const before = await documentCount();
    const [result] = await importLegacyPages(testStore.store, testStore.writer, catalog, [edited]);
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
    await expect(importLegacyPages(testStore.store, testStore.writer, catalog, [good, bad])).rejects.toThrow(
      `${bad}:158: unknown source "Ministry of Nowhere"`,
    );
    expect(await documentCount()).toBe(before);
  });

  /** Writes a variant of the seed page under its own title (so its own document) and imports it. */
  const variantFile = (name: string, source: string, place = '- VIENNA') => {
    const file = path.join(testStore.directory, `${name}.txt`);
    fs.writeFileSync(
      file,
      SEED_TEXT.replace('OSCE plays key role', `${name}: OSCE plays key role`)
        .replace('- OSCE Secretariat', source)
        .replace('- VIENNA', place),
    );
    return file;
  };
  const storedSources = async (documentId: number) =>
    (
      await testStore.store.db
        .selectFrom('document_sources')
        .select('structure_id')
        .where('document_id', '=', documentId)
        .orderBy('position')
        .execute()
    ).map((row) => catalog.structureById(row.structure_id)?.slug);

  it('stores several sources in their order, the lead first, from one line or several', async () => {
    const [oneLine, severalLines] = await importLegacyPages(testStore.store, testStore.writer, catalog, [
      variantFile('Co-issued', '- Chairpersonship, Mission to Moldova'),
      variantFile('Co-issued on two lines', '- Mission to Moldova\n- OSCE Chairmanship, Secretariat'),
    ]);
    expect(oneLine?.outcome).toBe('created');
    expect(await storedSources(oneLine?.documentId as number)).toEqual(['chairpersonship', 'mission-to-moldova']);
    expect(await storedSources(severalLines?.documentId as number)).toEqual([
      'mission-to-moldova',
      'chairpersonship',
      'secretariat',
    ]);
    const record = await findVisibleDocumentById(
      testStore.store.db,
      oneLine?.documentId as number,
      new Date().toISOString(),
    );
    expect(record?.sourceIds).toEqual(
      ['chairpersonship', 'mission-to-moldova'].map((slug) => catalog.structureBySlug(slug)?.id),
    );
  });

  it('stores several places as "Chisinau/Vienna", with the country of each city', async () => {
    const [result] = await importLegacyPages(testStore.store, testStore.writer, catalog, [
      variantFile('Two cities', '- Mission to Moldova', '- CHISINAU, VIENNA'),
    ]);
    const { db } = testStore.store;
    const doc = await db
      .selectFrom('documents')
      .select(['id', 'place'])
      .where('id', '=', result?.documentId as number)
      .executeTakeFirstOrThrow();
    expect(doc.place).toBe('Chisinau/Vienna');
    const countries = await db
      .selectFrom('document_countries')
      .select('country_id')
      .where('document_id', '=', doc.id)
      .execute();
    expect(countries.map((c) => catalog.countryById(c.country_id)?.name).sort()).toEqual([
      'Austria',
      'Moldova',
      'Portugal',
      'Spain',
    ]);
  });

  it.each([
    ['after a known one on the same line', '- Chairpersonship, Ministry of Nowhere', 158],
    ['on a line of its own', '- Chairpersonship\n- Mission to Moldova\n- Ministry of Nowhere', 160],
  ])('an unknown co-source %s names the file, its line and the name, and stores nothing', async (_, source, line) => {
    const good = variantFile('Good neighbour', '- Chairpersonship, Mission to Moldova');
    const bad = variantFile('Unknown co-source', source);
    const before = await documentCount();
    const error = await importLegacyPages(testStore.store, testStore.writer, catalog, [good, bad]).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ImportFormatError);
    expect(error).toMatchObject({ file: bad, line });
    expect((error as ImportFormatError).message).toBe(`${bad}:${line}: unknown source "Ministry of Nowhere"`);
    expect(await documentCount()).toBe(before);
  });

  it('names a file that cannot be read', async () => {
    await expect(
      importLegacyPages(testStore.store, testStore.writer, catalog, ['/nonexistent/page.txt']),
    ).rejects.toThrow('/nonexistent/page.txt:0: cannot read the file (ENOENT)');
  });
});

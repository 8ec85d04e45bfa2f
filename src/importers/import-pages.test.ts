import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { findVisibleDocumentById } from '../documents/reader.ts';
import type { DocumentWriter } from '../documents/writer.ts';
import { ImportFormatError, InvalidParameterError } from '../errors.ts';
import { parseSearchQuery, type SearchQuery } from '../search/query.ts';
import { bundledPageFiles } from '../setup.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { describeFailure, findPageFiles, importArchive, importLegacyPages } from './import-pages.ts';
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

  it('keeps the good page before a malformed one and stores nothing of the malformed one', async () => {
    const good = path.join(testStore.directory, 'good.txt');
    fs.writeFileSync(good, SEED_TEXT.replace('OSCE plays key role', 'A different title: OSCE plays key role'));
    const bad = path.join(testStore.directory, 'bad.txt');
    fs.writeFileSync(bad, SEED_TEXT.replace('- OSCE Secretariat', '- Ministry of Nowhere'));
    const before = await documentCount();
    await expect(importLegacyPages(testStore.store, testStore.writer, catalog, [good, bad])).rejects.toThrow(
      `${bad}:158: unknown source "Ministry of Nowhere"`,
    );
    expect(await documentCount()).toBe(before + 1);
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
  ])(
    'an unknown co-source %s names the file, its line and the name, and stores nothing of it',
    async (_, source, line) => {
      const good = variantFile('Good neighbour', '- Chairpersonship, Mission to Moldova');
      const bad = variantFile('Unknown co-source', source);
      // The good neighbour is stored by the first case and unchanged in the second: only the bad page matters.
      await importLegacyPages(testStore.store, testStore.writer, catalog, [good]);
      const before = await documentCount();
      const error = await importLegacyPages(testStore.store, testStore.writer, catalog, [good, bad]).then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(ImportFormatError);
      expect(error).toMatchObject({ file: bad, line });
      expect((error as ImportFormatError).message).toBe(`${bad}:${line}: unknown source "Ministry of Nowhere"`);
      expect(await documentCount()).toBe(before);
    },
  );

  // Regression: a missing file was reported at "line 0".
  it('names a file that cannot be read, and why, without a line', async () => {
    const error = await importLegacyPages(testStore.store, testStore.writer, catalog, ['/nonexistent/page.txt']).then(
      () => null,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toBe('/nonexistent/page.txt: cannot read the file: no such file or folder (ENOENT)');
    expect(error?.message).not.toMatch(/:0:/);
  });
});

/** An archive on disk: variants of the seed page, each its own document, and files that are not pages. */
function writeTree(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

/** The seed page under its own title (so its own document), with optional replacements. */
const pageTitled = (title: string, replacements: [string, string][] = []) =>
  replacements.reduce(
    (text, [from, to]) => text.replace(from, to),
    SEED_TEXT.replace('OSCE plays key role in fight against human trafficking, top official says', title),
  );

describe('findPageFiles', () => {
  it('walks folders recursively in name order; only .txt files there are pages, hidden entries ignored', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-find-'));
    writeTree(root, {
      'b.txt': 'x',
      'A.TXT': 'x',
      '2008/z.txt': 'x',
      '2007/sub/y.txt': 'x',
      '2007/x.txt': 'x',
      'notes.md': 'x',
      'scan.pdf': 'x',
      '.git/objects/abc.txt': 'x',
      '.hidden.txt': 'x',
    });
    const found = findPageFiles([root, path.join(root, 'notes.md'), path.join(root, 'b.txt')]);
    expect(found.files.map((file) => path.relative(root, file))).toEqual([
      '2007/sub/y.txt',
      '2007/x.txt',
      '2008/z.txt',
      'A.TXT',
      'b.txt',
      // Named on the command line: a page whatever its extension. b.txt, reached twice, comes once.
      'notes.md',
    ]);
    expect(found.skipped).toBe(2);
    expect(found.failures).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports a path that does not exist, with no line', () => {
    expect(findPageFiles(['/nonexistent/archive']).failures).toEqual([
      { file: '/nonexistent/archive', line: null, reason: 'cannot read the file: no such file or folder (ENOENT)' },
    ]);
  });
});

describe('importArchive', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  let root: string;

  beforeAll(async () => {
    testStore = await buildTestStore();
    catalog = await loadCatalog(testStore.store.db);
    root = path.join(testStore.directory, 'archive');
    writeTree(root, {
      '2007/09/first.txt': pageTitled('Archive: first page'),
      '2007/09/second.txt': pageTitled('Archive: second page'),
      '2007/10/malformed.txt': pageTitled('Archive: malformed page', [['- OSCE Secretariat', '- Ministry of Nowhere']]),
      '2008/third.txt': pageTitled('Archive: third page'),
      '2008/scan.pdf': '%PDF-1.4 not a page',
      'README.md': 'What this archive is.',
    });
  });
  afterAll(() => testStore.cleanup());

  const count = async (table: 'documents' | 'document_changes' | 'document_revisions' | 'document_texts') =>
    Number(
      (
        await testStore.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const titled = async (prefix: string) =>
    (
      await testStore.store.db
        .selectFrom('documents')
        .select('title')
        .where('title', 'like', `${prefix}%`)
        .orderBy('title')
        .execute()
    ).map((row) => row.title);
  const searchHits = async (word: string) =>
    (await testStore.search.matchingIds(testStore.store.db, parseSearchQuery(word) as SearchQuery)).required?.length;
  const importTree = (paths: string[], keepGoing: boolean, writer: DocumentWriter = testStore.writer) =>
    importArchive(testStore.store, writer, catalog, paths, { keepGoing });
  const malformed = () => path.join(root, '2007/10/malformed.txt');

  it('without keepGoing, stops at the first malformed page: the pages before it stay, nothing of it is stored', async () => {
    const before = await count('documents');
    const summary = await importTree([root], false);
    expect(summary).toMatchObject({ pages: 4, created: 2, updated: 0, unchanged: 0, failed: 1, skipped: 2 });
    expect(summary).toMatchObject({ notTried: 1, stopped: true });
    expect(summary.failures).toEqual([
      { file: malformed(), line: 158, reason: 'unknown source "Ministry of Nowhere"' },
    ]);
    expect(summary.failures.map(describeFailure)).toEqual([`${malformed()}:158: unknown source "Ministry of Nowhere"`]);
    expect(await count('documents')).toBe(before + 2);
    expect(await titled('Archive:')).toEqual(['Archive: first page', 'Archive: second page']);
    expect(await searchHits('malformed')).toBe(0);
  });

  it('with keepGoing, imports past it; a re-run finds the same pages unchanged', async () => {
    const summary = await importTree([root], true);
    expect(summary).toMatchObject({ pages: 4, created: 1, unchanged: 2, failed: 1, notTried: 0, stopped: false });
    expect(await titled('Archive:')).toEqual(['Archive: first page', 'Archive: second page', 'Archive: third page']);
    const changes = await count('document_changes');
    const again = await importTree([root], true);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 1 });
    // Unchanged pages write nothing: no revision, no change-log entry.
    expect(await count('document_changes')).toBe(changes);
  });

  it('a re-run updates an edited page as a new revision and creates a new one', async () => {
    writeTree(root, {
      '2008/third.txt': pageTitled('Archive: third page', [['He also said Portugal', 'He further said Portugal']]),
      '2009/fourth.txt': pageTitled('Archive: fourth page'),
    });
    const documents = await count('documents');
    const summary = await importTree([root], true);
    expect(summary).toMatchObject({ pages: 5, created: 1, updated: 1, unchanged: 2, failed: 1 });
    expect(await count('documents')).toBe(documents + 1);
    const third = await testStore.store.db
      .selectFrom('documents')
      .select(['revision', 'body_html'])
      .where('title', '=', 'Archive: third page')
      .executeTakeFirstOrThrow();
    expect(third).toMatchObject({ revision: 2 });
    expect(third.body_html).toContain('He further said Portugal');
  });

  it('rolls back a page that fails after some of its writes, and keeps the pages around it', async () => {
    const folder = path.join(testStore.directory, 'rollback');
    writeTree(folder, {
      'a.txt': pageTitled('Rollback: before'),
      'b.txt': pageTitled('Rollback: refused zanzibarian'),
      'c.txt': pageTitled('Rollback: after'),
    });
    // A writer that stores the document, then fails: the page's savepoint must undo those writes.
    const refusing: DocumentWriter = {
      ...testStore.writer,
      async create(tx, input, note) {
        const id = await testStore.writer.create(tx, input, note);
        if (input.title.includes('refused')) throw new InvalidParameterError('title', 'refused after writing');
        return id;
      },
    };
    const before = { changes: await count('document_changes'), revisions: await count('document_revisions') };
    const summary = await importTree([folder], true, refusing);
    expect(summary).toMatchObject({ created: 2, failed: 1 });
    expect(summary.failures).toEqual([
      { file: path.join(folder, 'b.txt'), line: 152, reason: 'refused after writing' },
    ]);
    expect(await titled('Rollback:')).toEqual(['Rollback: after', 'Rollback: before']);
    // Two pages, each created and published: nothing of the refused one in the log, revisions or index.
    expect(await count('document_changes')).toBe(before.changes + 4);
    expect(await count('document_revisions')).toBe(before.revisions + 2);
    expect(await searchHits('zanzibarian')).toBe(0);
  });

  it('points a title whose address is taken at its title line', async () => {
    const file = path.join(testStore.directory, 'taken.txt');
    // Same title and kind as the first page, another date: another document, the same address.
    fs.writeFileSync(
      file,
      pageTitled('Archive: first page', [['VIENNA, 11 September 2007', 'VIENNA, 12 September 2007']]),
    );
    const summary = await importTree([file], false);
    expect(summary.failures).toEqual([
      { file, line: 153, reason: 'The address "archive-first-page" is already used by another press-release' },
    ]);
  });

  it('without keepGoing, a path that does not exist stops the run before any page is tried', async () => {
    const documents = await count('documents');
    const summary = await importTree([root, '/nonexistent/archive'], false);
    expect(summary).toMatchObject({ pages: 5, created: 0, unchanged: 0, failed: 1, notTried: 5, stopped: true });
    expect(summary.failures).toEqual([
      { file: '/nonexistent/archive', line: null, reason: 'cannot read the file: no such file or folder (ENOENT)' },
    ]);
    expect(await count('documents')).toBe(documents);
  });

  it('with keepGoing, reports a missing path, a dangling link and a non-UTF-8 page, and imports the rest', async () => {
    const folder = path.join(testStore.directory, 'mixed');
    writeTree(folder, { 'good.txt': pageTitled('Mixed: good page') });
    fs.writeFileSync(path.join(folder, 'latin1.txt'), Buffer.from('Press release\nCaf\xe9 page\n', 'latin1'));
    fs.symlinkSync(path.join(folder, 'gone.txt'), path.join(folder, 'link.txt'));
    const progress: number[] = [];
    const summary = await importArchive(testStore.store, testStore.writer, catalog, [folder, '/nonexistent/x.txt'], {
      keepGoing: true,
      onProgress: (done, total) => progress.push(done, total),
    });
    expect(summary).toMatchObject({ pages: 3, created: 1, failed: 3 });
    expect(summary.failures).toEqual([
      { file: '/nonexistent/x.txt', line: null, reason: 'cannot read the file: no such file or folder (ENOENT)' },
      {
        file: path.join(folder, 'latin1.txt'),
        line: 2,
        reason: 'the file is not UTF-8 text (convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8)',
      },
      {
        file: path.join(folder, 'link.txt'),
        line: null,
        reason: 'cannot read the file: no such file or folder (ENOENT)',
      },
    ]);
    expect(progress).toEqual([0, 3, 1, 3, 2, 3, 3, 3]);
    expect(await titled('Mixed:')).toEqual(['Mixed: good page']);
  });
});

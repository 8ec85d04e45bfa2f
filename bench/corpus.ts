// A large synthetic corpus for the search benchmark: deterministic (seeded), Zipf-distributed words
// over a ~50,000-word vocabulary (English function words and the organisation's domain words among
// the frequent ones), realistic lengths and taxonomy spread, a few words with chosen document
// frequencies. Rows go straight through better-sqlite3 prepared statements in large transactions,
// then the FTS5 index is built with the same 'rebuild' command that `reindex` ends with.
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { permalinkOf } from '../src/documents/permalink.ts';
import type { DocumentKind } from '../src/store/schema.ts';
import { openStore } from '../src/store/store.ts';
import { type Catalog, loadCatalog } from '../src/taxonomy/catalog.ts';
import { readTaxonomyData } from '../src/taxonomy/data-files.ts';
import { seedTaxonomies } from '../src/taxonomy/seed.ts';

/**
 * 2: the headings' index (heading_fts) is built too; 3: both indexes with prefix='3'; 4: each
 * document's creation in the change log, as the writer would have logged it.
 */
export const CORPUS_VERSION = 4;
export const VOCABULARY_SIZE = 50_000;
export const ZIPF_EXPONENT = 1.0;

/** Words whose document frequencies are chosen rather than left to the Zipf draw. */
export const KNOWN_WORDS = {
  /** In exactly one document in 10,000 (0.01 %), spread evenly over the corpus. */
  rare: 'ombudsperson',
  rareShare: 0.0001,
  /** In about 40 % of documents (1–4 times in the body, sometimes in the title and summary). */
  common: 'security',
  commonShare: 0.4,
  /** Both words are frequent on their own (Zipf ranks ~140 and ~180); side by side in ~1.5 % of documents. */
  phrase: ['border', 'management'] as const,
  phraseShare: 0.015,
} as const;

/** Porter stems of the known words: no other vocabulary word may share them. */
const KNOWN_STEMS = ['ombudsperson', 'secur', 'border', 'manag'];
const PHRASE_RANKS: Record<string, number> = { management: 140, border: 180 };

/** Roughly by frequency in English prose. */
const FUNCTION_WORDS = `the of and to in a for on with as by is that was at from it be are this an which or has have
were their its not also been will they more other all such between these who can into than we new under while during
through over about both after our would should them there may some out any those where each most only first well
further including within against since among however two three one upon before without towards across per must could
very many how what when his her he she you your us being had do does did so if then no but because whether whose
same own part several make made take given used following`
  .split(/\s+/)
  .filter(Boolean);

/** From the taxonomy's names and the organisation's daily vocabulary. */
const DOMAIN_WORDS =
  `osce participating states human rights trafficking elections election police policing media freedom
youth migration cooperation operation conflict prevention resolution terrorism countering cyber ict democratization
economic environmental education gender equality governance good minorities national minority roma sinti rule law
tolerance discrimination arms control reform sector field operations projects office mission programme secretariat
chairpersonship chair representative commissioner institutions democratic parliamentary assembly council permanent
ministerial summit vienna civil society government authorities officials experts training workshop conference report
recommendations assistance support dialogue region regional international organization implementation commitments
coordinator development journalists observers observation monitoring legislation judiciary justice victims children
women refugees displaced persons communities local public access information protection prosecutors investigation
corruption money laundering environment water energy climate weapons small light ammunition stockpiles mine action
disarmament confidence building measures military political dimension capacity cross customs guards checkpoints
transnational threats violent extremism radicalization hate crimes antisemitism religious association expression
torture detention prisons electoral voter voters registration campaign candidates parliament municipal ballot polling
stations mediation ceasefire negotiations settlement peace stability students schools university teachers violence
domestic empowerment leadership participation inclusion integration labour migrants smuggling passport visa incidents
infrastructure critical digital online internet broadcasting press editors safety ukraine europe asia central
caucasus balkans mediterranean partners delegation delegations ambassador minister ministry foreign affairs meeting
meetings event events publication publications statement statements news release agenda declaration decision
decisions mandate budget staff expert seminar course courses handbook guidelines assessment survey study analysis`
    .split(/\s+/)
    .filter(Boolean);

const CONSONANTS = 'bcdfghjklmnprstvw';
const VOWELS = 'aeiou';

/** mulberry32: small, fast, deterministic. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Walker/Vose alias table: one uniform number per draw, whatever the distribution. */
function aliasSampler(weights: ArrayLike<number>, random: () => number): () => number {
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i += 1) total += weights[i] as number;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = new Float64Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i += 1) {
    scaled[i] = ((weights[i] as number) * n) / total;
    ((scaled[i] as number) < 1 ? small : large).push(i);
  }
  while (small.length > 0 && large.length > 0) {
    const s = small.pop() as number;
    const l = large.pop() as number;
    prob[s] = scaled[s] as number;
    alias[s] = l;
    scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
    ((scaled[l] as number) < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) prob[i] = 1;
  return () => {
    const x = random() * n;
    const i = Math.floor(x);
    return x - i < (prob[i] as number) ? i : (alias[i] as number);
  };
}

const zipfWeights = (n: number, exponent: number) =>
  Float64Array.from({ length: n }, (_, r) => 1 / (r + 1) ** exponent);

/**
 * The vocabulary in rank order: function words first, interleaved with domain words, the two phrase
 * words at fixed ranks, then synthetic pronounceable words (shorter ones more frequent).
 */
export function buildVocabulary(seed: number, size = VOCABULARY_SIZE): string[] {
  const random = randomSource(seed ^ 0x5eed);
  const reserved = new Set<string>([KNOWN_WORDS.rare, KNOWN_WORDS.common, ...KNOWN_WORDS.phrase]);
  const domain = [...new Set(DOMAIN_WORDS)].filter((w) => !reserved.has(w) && !FUNCTION_WORDS.includes(w));
  const taken = new Set<string>([...FUNCTION_WORDS, ...DOMAIN_WORDS, ...reserved]);
  const synthetic: string[] = [];
  const syllable = () =>
    (CONSONANTS[Math.floor(random() * CONSONANTS.length)] as string) + VOWELS[Math.floor(random() * VOWELS.length)];
  while (synthetic.length < size) {
    // A tenth two-syllable, then three, then four: the frequent synthetic words are the short ones.
    const share = synthetic.length / size;
    const syllables = share < 0.1 ? 2 : share < 0.7 ? 3 : 4;
    let word = '';
    for (let i = 0; i < syllables; i += 1) word += syllable();
    if (taken.has(word) || KNOWN_STEMS.some((stem) => word.startsWith(stem))) continue;
    taken.add(word);
    synthetic.push(word);
  }
  // Ranks 1–8 function words; then two function words for one domain word until they run out; then
  // the remaining domain words at every fourth rank among the synthetic ones; the phrase words at fixed ranks.
  const ranked: string[] = [];
  let f = 0;
  let d = 0;
  let s = 0;
  for (let rank = 1; ranked.length < size; rank += 1) {
    const phraseWord = Object.entries(PHRASE_RANKS).find(([, r]) => r === rank)?.[0];
    if (phraseWord) ranked.push(phraseWord);
    else if (f < FUNCTION_WORDS.length && (rank <= 8 || rank % 3 !== 0)) ranked.push(FUNCTION_WORDS[f++] as string);
    else if (d < domain.length && (f < FUNCTION_WORDS.length || rank % 4 === 0)) ranked.push(domain[d++] as string);
    else ranked.push(synthetic[s++] as string);
  }
  return ranked;
}

const KIND_WEIGHTS: ReadonlyArray<[Exclude<DocumentKind, 'page'>, number]> = [
  ['press-release', 0.35],
  ['news', 0.25],
  ['statement', 0.15],
  ['event', 0.1],
  ['publication', 0.15],
];

export const FIRST_DATE = Date.UTC(2000, 0, 1);
/** Fixed, so that the corpus does not depend on the day it is built (and stays visible: not in the future). */
export const LAST_DATE = Date.UTC(2026, 9, 31, 23, 59);

export interface CorpusOptions {
  file: string;
  documents: number;
  seed?: number;
  /** Documents per transaction. */
  batchSize?: number;
  /** Stop (throw) when generating and inserting takes longer than this. */
  budgetSeconds?: number;
  /** Stop (throw) when the database file and its WAL grow beyond this. */
  maxBytes?: number;
  log?: (line: string) => void;
}

export interface CorpusBuild {
  version: number;
  documents: number;
  seed: number;
  vocabularySize: number;
  zipfExponent: number;
  known: typeof KNOWN_WORDS;
  /** Chosen shares become these counts (document frequencies) in the corpus. */
  injected: { rare: number; common: number; phrase: number };
  words: { total: number; perDocument: number };
  seconds: {
    schema: number;
    /** Wall time of the document load: generating text in JS and inserting rows. */
    load: number;
    /** Of which: in better-sqlite3 statements (inserts and commits). */
    insert: number;
    /** The FTS5 'rebuild' statement. */
    indexBuild: number;
    /** Copying the WAL into the database file afterwards. */
    checkpoint: number;
  };
  bytes: number;
  pragmas: string;
  builtAt: string;
}

class BudgetExceeded extends Error {}

/** Creates `options.file` afresh (schema, taxonomies, documents, FTS index). */
export async function buildCorpus(options: CorpusOptions): Promise<CorpusBuild> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 20261130;
  const batchSize = options.batchSize ?? 20_000;
  const budgetMs = (options.budgetSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${options.file}${suffix}`, { force: true });

  // 1. Schema and taxonomies through the application's own code.
  const schemaStart = performance.now();
  const store = await openStore(`sqlite:${options.file}`);
  let catalog: Catalog;
  try {
    await store.migrate();
    await store.transaction((tx) => seedTaxonomies(tx, readTaxonomyData(), new Date().toISOString()));
    catalog = await loadCatalog(store.db);
  } finally {
    await store.close();
  }
  const schemaSeconds = (performance.now() - schemaStart) / 1000;

  // 2. Bulk load, straight through better-sqlite3.
  const db = new BetterSqlite3(options.file);
  const pragmas = 'journal_mode=WAL, synchronous=OFF (bulk load only), cache_size=1 GiB, temp_store=MEMORY';
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = OFF');

  const random = randomSource(seed);
  const vocabulary = buildVocabulary(seed);
  const word = aliasSampler(zipfWeights(vocabulary.length, ZIPF_EXPONENT), random);
  const weighted = <T>(items: readonly T[], exponent: number) => {
    const pick = aliasSampler(zipfWeights(items.length, exponent), random);
    return () => items[pick()] as T;
  };
  const pickDistinct = <T>(pick: () => T, count: number): T[] => {
    const chosen: T[] = [];
    for (let tries = 0; chosen.length < count && tries < count * 10; tries += 1) {
      const item = pick();
      if (!chosen.includes(item)) chosen.push(item);
    }
    return chosen;
  };
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  // Human rights and elections first: the field the filtered query class uses is among the big ones.
  const fieldOrder = [
    'human-rights',
    'elections',
    'combating-trafficking-in-human-beings',
    'policing',
    'media-freedom-and-development',
  ];
  const fields = [...catalog.fields.filter((f) => f.kind === 'field')].sort(
    (a, b) =>
      (fieldOrder.includes(a.slug) ? fieldOrder.indexOf(a.slug) : 99) -
      (fieldOrder.includes(b.slug) ? fieldOrder.indexOf(b.slug) : 99),
  );
  const pickField = weighted(
    fields.map((f) => f.id),
    0.7,
  );
  const pickCountry = weighted(
    catalog.countries.filter((c) => c.role === 'participating').map((c) => c.id),
    0.8,
  );
  const sources = catalog.structures.filter((s) => !s.kind.endsWith('-group'));
  const pickSource = weighted(
    sources.map((s) => s.id),
    1.0,
  );
  const meetings = catalog.meetings.map((m) => m.id);
  const pickKind = () => {
    let roll = random();
    for (const [kind, weight] of KIND_WEIGHTS) {
      roll -= weight;
      if (roll <= 0) return kind;
    }
    return 'press-release' as const;
  };

  /** Words → sentences: capitalised, 8–20 words, a comma now and then, a full stop. */
  const prose = (words: string[]): string => {
    let out = '';
    let i = 0;
    while (i < words.length) {
      const length = Math.min(words.length - i, between(8, 20));
      const first = words[i] as string;
      let sentence = first.charAt(0).toUpperCase() + first.slice(1);
      for (let j = 1; j < length; j += 1) sentence += (j > 3 && random() < 0.06 ? ', ' : ' ') + words[i + j];
      out += `${out ? ' ' : ''}${sentence}.`;
      i += length;
    }
    return out;
  };
  const draw = (count: number) => {
    const words = new Array<string>(count);
    for (let i = 0; i < count; i += 1) words[i] = vocabulary[word()] as string;
    return words;
  };
  const put = (words: string[], at: number, ...inserted: string[]) => words.splice(at, inserted.length, ...inserted);

  const insertDocument = db.prepare(`INSERT INTO documents
    (id, kind, slug, language, title, summary, body_html, dated_at, published_at, permalink, place,
     meeting_series_id, status, is_demo, revision, created_at, updated_at)
    VALUES (?, ?, ?, 'en', ?, ?, ?, ?, ?, ?, NULL, ?, 'published', 1, 1, ?, ?)`);
  const insertSource = db.prepare(
    'INSERT INTO document_sources (document_id, structure_id, position) VALUES (?, ?, 0)',
  );
  const insertField = db.prepare('INSERT INTO document_fields (document_id, field_id, position) VALUES (?, ?, ?)');
  const insertCountry = db.prepare(
    'INSERT INTO document_countries (document_id, country_id, position) VALUES (?, ?, ?)',
  );
  const insertText = db.prepare('INSERT INTO document_texts (document_id, title, summary, body) VALUES (?, ?, ?, ?)');
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');

  const rareEvery = Math.round(1 / KNOWN_WORDS.rareShare);
  const injected = { rare: 0, common: 0, phrase: 0 };
  let totalWords = 0;
  let insertMs = 0;
  const loadStart = performance.now();
  const span = LAST_DATE - FIRST_DATE;
  interface Row {
    id: number;
    kind: string;
    title: string;
    summary: string;
    body: string;
    html: string;
    at: string;
    source: number;
    meeting: number | null;
    fields: number[];
    countries: number[];
  }
  const rows: Row[] = [];
  const flush = () => {
    const start = performance.now();
    begin.run();
    for (const r of rows) {
      insertDocument.run(
        r.id,
        r.kind,
        `bench-${r.id}`,
        r.title,
        r.summary,
        r.html,
        r.at,
        r.at,
        permalinkOf({ kind: r.kind as DocumentKind, slug: `bench-${r.id}`, language: 'en', dated_at: r.at }),
        r.meeting,
        r.at,
        r.at,
      );
      insertSource.run(r.id, r.source);
      for (const [position, field] of r.fields.entries()) insertField.run(r.id, field, position);
      for (const [position, country] of r.countries.entries()) insertCountry.run(r.id, country, position);
      insertText.run(r.id, r.title, r.summary, r.body);
    }
    commit.run();
    insertMs += performance.now() - start;
    rows.length = 0;
  };

  try {
    for (let id = 1; id <= options.documents; id += 1) {
      const title = draw(between(6, 14));
      const summary = draw(between(20, 40));
      const paragraphs = between(4, 8);
      const bodyWords = draw(between(150, 500));
      // Chosen document frequencies: the words replace drawn ones, so lengths stay as drawn.
      if ((id - 1) % rareEvery === 0) {
        put(bodyWords, Math.floor(random() * bodyWords.length), KNOWN_WORDS.rare);
        if (random() < 0.25) put(title, Math.floor(random() * title.length), KNOWN_WORDS.rare);
        injected.rare += 1;
      }
      if (random() < KNOWN_WORDS.commonShare) {
        const times = between(1, 4);
        for (let t = 0; t < times; t += 1) put(bodyWords, Math.floor(random() * bodyWords.length), KNOWN_WORDS.common);
        if (random() < 0.15) put(title, Math.floor(random() * title.length), KNOWN_WORDS.common);
        if (random() < 0.3) put(summary, Math.floor(random() * summary.length), KNOWN_WORDS.common);
        injected.common += 1;
      }
      if (random() < KNOWN_WORDS.phraseShare) {
        put(bodyWords, Math.floor(random() * (bodyWords.length - 1)), ...KNOWN_WORDS.phrase);
        if (random() < 0.1) put(title, Math.floor(random() * (title.length - 1)), ...KNOWN_WORDS.phrase);
        injected.phrase += 1;
      }
      totalWords += title.length + summary.length + bodyWords.length;

      const texts: string[] = [];
      const perParagraph = Math.ceil(bodyWords.length / paragraphs);
      for (let p = 0; p < bodyWords.length; p += perParagraph) texts.push(prose(bodyWords.slice(p, p + perParagraph)));
      const first = title.join(' ');
      const titleText = first.charAt(0).toUpperCase() + first.slice(1);
      // Somewhat more documents in recent years, as on the real site.
      const at = new Date(FIRST_DATE + Math.floor(random() ** 0.75 * span));
      at.setUTCSeconds(0, 0);
      const countries = pickDistinct(pickCountry, between(0, 3));
      rows.push({
        id,
        kind: pickKind(),
        title: titleText,
        summary: prose(summary),
        body: texts.join('\n'),
        html: texts.map((t) => `<p>${t}</p>`).join('\n'),
        at: at.toISOString(),
        source: pickSource(),
        meeting: random() < 0.1 ? (meetings[Math.floor(random() * meetings.length)] as number) : null,
        fields: pickDistinct(pickField, between(1, 3)),
        countries,
      });
      if (rows.length >= batchSize) {
        flush();
        const elapsed = performance.now() - loadStart;
        const bytes = fileBytes(options.file);
        if (id % (batchSize * 5) === 0 || id === options.documents)
          log(
            `${id.toLocaleString('en-US')} documents, ${(elapsed / 1000).toFixed(0)} s (insert ${(insertMs / 1000).toFixed(0)} s), ${(bytes / 1024 ** 3).toFixed(2)} GB`,
          );
        if (elapsed > budgetMs)
          throw new BudgetExceeded(`load budget exceeded after ${id} documents (${(elapsed / 1000).toFixed(0)} s)`);
        if (bytes > maxBytes) throw new BudgetExceeded(`size budget exceeded after ${id} documents (${bytes} bytes)`);
      }
    }
    if (rows.length > 0) flush();
    db.prepare(
      "INSERT INTO document_changes (document_id, action, revision, at) SELECT id, 'created', 1, created_at FROM documents ORDER BY id",
    ).run();
    const loadSeconds = (performance.now() - loadStart) / 1000;
    log(`documents loaded in ${loadSeconds.toFixed(1)} s (of which inserts ${(insertMs / 1000).toFixed(1)} s)`);
    db.pragma('wal_checkpoint(TRUNCATE)');

    // 3. The index, as `reindex` builds it.
    log('building the FTS5 indexes (rebuild: the full index, then the headings’)');
    const indexStart = performance.now();
    db.prepare("INSERT INTO document_fts(document_fts) VALUES('rebuild')").run();
    db.prepare("INSERT INTO heading_fts(heading_fts) VALUES('rebuild')").run();
    const indexSeconds = (performance.now() - indexStart) / 1000;
    const checkpointStart = performance.now();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointSeconds = (performance.now() - checkpointStart) / 1000;
    log(`index built in ${indexSeconds.toFixed(1)} s, checkpoint ${checkpointSeconds.toFixed(1)} s`);

    return {
      version: CORPUS_VERSION,
      documents: options.documents,
      seed,
      vocabularySize: vocabulary.length,
      zipfExponent: ZIPF_EXPONENT,
      known: KNOWN_WORDS,
      injected,
      words: { total: totalWords, perDocument: totalWords / options.documents },
      seconds: {
        schema: schemaSeconds,
        load: loadSeconds,
        insert: insertMs / 1000,
        indexBuild: indexSeconds,
        checkpoint: checkpointSeconds,
      },
      bytes: fileBytes(options.file),
      pragmas,
      builtAt: new Date().toISOString(),
    };
  } finally {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
    db.close();
  }
}

/** The database file and its WAL. */
export function fileBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(`${file}${suffix}`).size;
    } catch {
      // not there
    }
  }
  return total;
}

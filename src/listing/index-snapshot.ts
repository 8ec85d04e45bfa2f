// The bitmap index on disk, with the change-log position it reflects: a restart loads it and
// replays the log since, instead of reading every document and the frequent words' postings again
// (about 50 s at 1,000,000 documents). A snapshot is only ever a shortcut: one that is missing,
// unreadable, from another format, schema or database, or fails its checksum is ignored (with
// the reason), and the index is read from the database as before.
//
// Layout: "DLIX", a 4-byte little-endian header length, the header (JSON), then the sections the
// header lists, in order: roaring bitmaps in their portable serialisation, typed arrays as their
// little-endian bytes, the index's vocabulary as UTF-8 terms one a line. The header's SHA-256 covers the sections.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import roaring from 'roaring';
import { readChanges } from '../documents/change-log.ts';
import { MIGRATION_NAMES } from '../store/migrate.ts';
import type { DocumentChange } from '../store/schema.ts';
import type { Db } from '../store/store.ts';
import type { DocumentBitmapIndex, IndexState, ValueKey } from './bitmap-index.ts';
import type { Dimension } from './filter.ts';
import type { ListingService } from './service.ts';
import type { Postings } from './term-postings.ts';

const { RoaringBitmap32 } = roaring;
type Bitmap = InstanceType<typeof RoaringBitmap32>;

const MAGIC = Buffer.from('DLIX');
/** Raise it whenever IndexState changes shape or meaning. */
export const SNAPSHOT_FORMAT = 2;

/** The change the snapshot's state includes last: its number, and enough of it to recognise it. */
export type LogPosition = Pick<DocumentChange, 'seq' | 'document_id' | 'action' | 'revision' | 'at'>;

type SectionKind = 'bitmap' | 'float64' | 'uint32' | 'text';

interface Header {
  format: number;
  /** The last migration of the database it was taken from. */
  schema: string;
  position: LogPosition;
  sha256: string;
  /** Byte lengths of the sections, in order. */
  sections: { kind: SectionKind; bytes: number }[];
  values: [Dimension, ValueKey[]][];
  publishAt: [number, number][];
  longestEventMs: number;
  postings: { minDocuments: number; terms: string[]; prefixes: string[] } | null;
}

export interface Snapshot {
  state: IndexState;
  schema: string;
  position: LogPosition;
}

/** Why a snapshot was not used. */
export class SnapshotUnusable extends Error {}

/** A state serialised: what is written, once its position is known. */
export interface EncodedState {
  sections: { kind: SectionKind; data: Buffer }[];
  header: Omit<Header, 'format' | 'schema' | 'position' | 'sha256' | 'sections'>;
}

/**
 * Serialises the state now, synchronously: call it while the index is at rest (between two
 * batches of changes, see ListingService.indexAtRest), as its bitmaps are the index's own.
 */
export function encodeIndexState(state: IndexState): EncodedState {
  const sections: EncodedState['sections'] = [];
  const bitmap = (value: Bitmap) => {
    const data: Uint8Array = value.serialize('portable');
    sections.push({ kind: 'bitmap', data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) });
  };
  for (const [, entries] of state.values) for (const [, value] of entries) bitmap(value);
  bitmap(state.published);
  sections.push({ kind: 'float64', data: littleEndian(state.datedAt) });
  sections.push({ kind: 'float64', data: littleEndian(state.endsAt) });
  sections.push({ kind: 'uint32', data: littleEndian(state.dateOrder) });
  for (const [, postings] of state.postings?.terms ?? []) {
    bitmap(postings.all);
    bitmap(postings.title);
    bitmap(postings.summary);
  }
  for (const [, rest] of state.postings?.prefixes ?? []) {
    bitmap(rest.all);
    bitmap(rest.title);
    bitmap(rest.summary);
  }
  if (state.postings) {
    sections.push({ kind: 'text', data: Buffer.from(state.postings.vocabulary.terms.join('\n')) });
    sections.push({ kind: 'uint32', data: littleEndian(Uint32Array.from(state.postings.vocabulary.documents)) });
  }
  return {
    sections,
    header: {
      values: state.values.map(([dimension, entries]) => [dimension, entries.map(([key]) => key)]),
      publishAt: [...state.publishAt],
      longestEventMs: state.longestEventMs,
      postings: state.postings && {
        minDocuments: state.postings.minDocuments,
        terms: state.postings.terms.map(([term]) => term),
        prefixes: state.postings.prefixes.map(([prefix]) => prefix),
      },
    },
  };
}

/** Writes beside `file`, then renames into place: a reader never sees half a snapshot. */
export async function writeIndexSnapshot(
  file: string,
  encoded: EncodedState,
  at: { schema: string; position: LogPosition },
): Promise<{ bytes: number }> {
  const { sections } = encoded;
  const hash = crypto.createHash('sha256');
  for (const section of sections) hash.update(section.data);
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    schema: at.schema,
    position: at.position,
    sha256: hash.digest('hex'),
    sections: sections.map((section) => ({ kind: section.kind, bytes: section.data.length })),
    ...encoded.header,
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const staging = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(staging, 'w');
  let bytes = 0;
  try {
    for (const part of [MAGIC, length, headerBytes, ...sections.map((section) => section.data)]) {
      await handle.write(part);
      bytes += part.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(staging, file);
  return { bytes };
}

/** Reads a snapshot; throws SnapshotUnusable, saying why, when it cannot be used as it is. */
export async function readIndexSnapshot(file: string): Promise<Snapshot> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotUnusable(code === 'ENOENT' ? 'there is none yet' : `it cannot be read (${code})`);
  }
  if (data.length < 8 || !data.subarray(0, 4).equals(MAGIC)) throw new SnapshotUnusable('it is not an index snapshot');
  const headerLength = data.readUInt32LE(4);
  let header: Header;
  try {
    header = JSON.parse(data.subarray(8, 8 + headerLength).toString('utf8')) as Header;
  } catch {
    throw new SnapshotUnusable('its header is damaged');
  }
  if (header.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotUnusable(`it is of format ${header.format}, this version reads ${SNAPSHOT_FORMAT}`);
  }
  const payload = data.subarray(8 + headerLength);
  const expectedBytes = header.sections.reduce((sum, section) => sum + section.bytes, 0);
  if (payload.length !== expectedBytes) throw new SnapshotUnusable('it is truncated');
  if (crypto.createHash('sha256').update(payload).digest('hex') !== header.sha256) {
    throw new SnapshotUnusable('it fails its checksum');
  }
  let offset = 0;
  let next = 0;
  const take = (kind: SectionKind): Buffer => {
    const section = header.sections[next++];
    if (section?.kind !== kind) throw new SnapshotUnusable('its sections do not match its header');
    const bytes = payload.subarray(offset, offset + section.bytes);
    offset += section.bytes;
    return bytes;
  };
  const bitmap = () => RoaringBitmap32.deserialize(take('bitmap'), 'portable');
  const values: IndexState['values'] = header.values.map(([dimension, keys]) => [
    dimension,
    keys.map((key): [ValueKey, Bitmap] => [key, bitmap()]),
  ]);
  const published = bitmap();
  const datedAt = new Float64Array(fromLittleEndian(take('float64'), 8));
  const endsAt = new Float64Array(fromLittleEndian(take('float64'), 8));
  const dateOrder = new Uint32Array(fromLittleEndian(take('uint32'), 4));
  const postings = header.postings && {
    minDocuments: header.postings.minDocuments,
    terms: header.postings.terms.map((term): [string, Postings] => [
      term,
      { all: bitmap(), title: bitmap(), summary: bitmap() },
    ]),
    prefixes: header.postings.prefixes.map((prefix): [string, Postings] => [
      prefix,
      { all: bitmap(), title: bitmap(), summary: bitmap() },
    ]),
    vocabulary: {
      terms: linesOf(take('text').toString('utf8')),
      documents: [...new Uint32Array(fromLittleEndian(take('uint32'), 4))],
    },
  };
  return {
    schema: header.schema,
    position: header.position,
    state: {
      values,
      published,
      publishAt: header.publishAt,
      datedAt,
      endsAt,
      longestEventMs: header.longestEventMs,
      dateOrder,
      postings,
    },
  };
}

/** Terms one a line (none contains a line break: the tokenizers split on white space). */
const linesOf = (text: string) => (text === '' ? [] : text.split('\n'));

/** A copy of a typed array's bytes (it may be patched in place later), little-endian whatever the machine. */
function littleEndian(array: Float64Array | Uint32Array): Buffer {
  const copy = Buffer.from(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  if (os.endianness() === 'BE') {
    if (array.BYTES_PER_ELEMENT === 8) copy.swap64();
    else copy.swap32();
  }
  return copy;
}

/** An aligned copy of little-endian bytes, in the machine's order, for a typed array's buffer. */
function fromLittleEndian(bytes: Buffer, width: 4 | 8): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  if (os.endianness() === 'BE') {
    const view = Buffer.from(copy.buffer);
    if (width === 8) view.swap64();
    else view.swap32();
  }
  return copy.buffer;
}

/** The schema this code runs on: a snapshot of another is not used. */
export const SNAPSHOT_SCHEMA = MIGRATION_NAMES.at(-1) as string;

/** The change at `seq` as the database holds it (null: none there). */
async function changeAt(db: Db, seq: number): Promise<LogPosition | null> {
  const row = await db
    .selectFrom('document_changes')
    .select(['seq', 'document_id', 'action', 'revision', 'at'])
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row ? { ...row, seq: Number(row.seq) } : null;
}

/**
 * Loads the snapshot into `index` and applies every change logged since; returns the position
 * reached. Throws SnapshotUnusable when the snapshot does not belong to this database as it is
 * (another schema, another database, or one restored from an older copy since).
 */
export async function restoreIndex(
  index: DocumentBitmapIndex,
  db: Db,
  file: string,
): Promise<{ seq: number; replayed: number }> {
  const snapshot = await readIndexSnapshot(file);
  if (snapshot.schema !== SNAPSHOT_SCHEMA) {
    throw new SnapshotUnusable(`it was taken on schema ${snapshot.schema}, the database is on ${SNAPSHOT_SCHEMA}`);
  }
  const there = await changeAt(db, snapshot.position.seq);
  const same =
    there !== null &&
    (['document_id', 'action', 'revision', 'at'] as const).every((key) => there[key] === snapshot.position[key]);
  if (!same) throw new SnapshotUnusable(`its change ${snapshot.position.seq} is not this database's`);
  index.restore(snapshot.state);
  let seq = snapshot.position.seq;
  let replayed = 0;
  for (;;) {
    const changes = await readChanges(db, seq);
    if (changes.length === 0) break;
    await index.applyChanges(changes);
    replayed += changes.length;
    seq = (changes.at(-1) as DocumentChange).seq;
  }
  return { seq, replayed };
}

/**
 * Writes a snapshot of the index the listings use, as it is between two batches of changes.
 * Returns null when there is nothing to keep (no index, an empty change log, or the index still
 * at `unlessAt`, the position of the last snapshot written).
 */
export async function saveIndexSnapshot(
  listings: Pick<ListingService, 'indexAtRest'>,
  db: Db,
  file: string,
  unlessAt: number | null = null,
): Promise<{ seq: number; bytes: number; encodeMs: number } | null> {
  const taken = await listings.indexAtRest((index, seq) => {
    const started = performance.now();
    const encoded = seq > 0 && seq !== unlessAt ? encodeIndexState(index.state()) : null;
    return { seq, encoded, encodeMs: performance.now() - started };
  });
  if (!taken?.encoded) return null;
  const position = await changeAt(db, taken.seq);
  if (!position) return null;
  const { bytes } = await writeIndexSnapshot(file, taken.encoded, { schema: SNAPSHOT_SCHEMA, position });
  return { seq: taken.seq, bytes, encodeMs: taken.encodeMs };
}

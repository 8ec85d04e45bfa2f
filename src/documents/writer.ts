// Writing documents: every save is a revision, stale saves are refused (409), and every change
// is appended to the change log in the same transaction. Moments come from the injected clock.
import type { Clock } from '../clock.ts';
import { InvalidParameterError, SlugTakenError, StaleRevisionError } from '../errors.ts';
import type { SearchProvider } from '../search/provider.ts';
import { searchTextOf } from '../search/text.ts';
import type { ChangeAction, DocumentKind, DocumentStatus } from '../store/schema.ts';
import type { Tx } from '../store/store.ts';
import { recordChange } from './change-log.ts';
import { permalinkOf } from './permalink.ts';
import { sanitizeBody } from './sanitize.ts';

export interface DocumentInput {
  kind: DocumentKind;
  slug: string;
  language?: string;
  translationGroup?: string | null;
  title: string;
  summary?: string;
  /** Untrusted HTML: sanitised here before it is stored. */
  bodyHtml: string;
  /** The document's own date, as its dateline gives it; for an event, when it starts. */
  datedAt: string;
  /** When an event ends. */
  endsAt?: string | null;
  /** IANA time zone of an event's times ("Europe/Vienna"). */
  timeZone?: string | null;
  /** The dateline's city or cities ("Chisinau/Vienna"). */
  place?: string | null;
  /** The issuing structures, the lead first. */
  sourceIds?: readonly number[];
  meetingSeriesId?: number | null;
  status?: DocumentStatus;
  /** Embargo or schedule: not public before this moment. */
  publishAt?: string | null;
  /** Archives only: when the document went public elsewhere (otherwise the clock decides). */
  publishedAt?: string | null;
  isDemo?: boolean;
  legacyKey?: string | null;
  fieldIds?: readonly number[];
  countryIds?: readonly number[];
}

export interface DocumentWriterOptions {
  search: Pick<SearchProvider, 'index' | 'remove'>;
  clock: Clock;
  /** The store's test for a unique-constraint violation (a slug taken by a concurrent writer). */
  isUniqueViolation: (error: unknown) => boolean;
}

export interface DocumentWriter {
  /** Creates a document at revision 1; returns its id. */
  create(tx: Tx, input: DocumentInput, note?: string | null): Promise<number>;
  /**
   * Saves a new revision, only if nobody saved since `expectedRevision`; returns the new revision.
   * @throws StaleRevisionError when the stored revision is not the expected one.
   */
  update(tx: Tx, id: number, expectedRevision: number, input: DocumentInput, note?: string | null): Promise<number>;
  /** Deletes a document with its terms, revisions and search text; false if there was none. */
  remove(tx: Tx, id: number): Promise<boolean>;
}

function isoMoment(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidParameterError(field, `"${field}" is not a date or moment: "${value}"`);
  return new Date(time).toISOString();
}

function checkedTimeZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    throw new InvalidParameterError(
      'timeZone',
      `"timeZone" must be an IANA time zone such as Europe/Vienna, not "${zone}"`,
    );
  }
}

/** The stored columns that come from the input alone (not from the clock or earlier saves). */
function contentOf(input: DocumentInput) {
  const datedAt = isoMoment(input.datedAt, 'datedAt');
  const endsAt = input.endsAt ? isoMoment(input.endsAt, 'endsAt') : null;
  if (endsAt && endsAt < datedAt) throw new InvalidParameterError('endsAt', '"endsAt" must not be before "datedAt"');
  return {
    kind: input.kind,
    slug: input.slug,
    language: input.language ?? 'en',
    translation_group: input.translationGroup ?? null,
    title: input.title.trim(),
    summary: (input.summary ?? '').trim(),
    body_html: sanitizeBody(input.bodyHtml),
    dated_at: datedAt,
    ends_at: endsAt,
    time_zone: checkedTimeZone(input.timeZone),
    place: input.place ?? null,
    meeting_series_id: input.meetingSeriesId ?? null,
    status: input.status ?? 'draft',
    publish_at: input.publishAt ? isoMoment(input.publishAt, 'publishAt') : null,
    is_demo: input.isDemo ? 1 : 0,
    legacy_key: input.legacyKey ?? null,
  };
}

type Content = ReturnType<typeof contentOf>;

/** The revision record of a save: the stored content and its terms, as JSON. */
export function snapshotOf(input: DocumentInput): string {
  return JSON.stringify({
    ...contentOf(input),
    sourceIds: [...new Set(input.sourceIds ?? [])],
    fieldIds: input.fieldIds ?? [],
    countryIds: input.countryIds ?? [],
  });
}

interface PublicationState {
  status: DocumentStatus;
  published_at: string | null;
  permalink: string | null;
}

/**
 * When the document goes public and where: the first publication fixes both; a document not
 * public yet (scheduled) follows its schedule; one that was public keeps its moment and address.
 */
function publicationOf(content: Content, previous: PublicationState | null, input: DocumentInput, now: string) {
  const wasPublic = previous?.published_at != null && previous.published_at <= now;
  if (content.status !== 'published') {
    return {
      published_at: wasPublic ? (previous?.published_at ?? null) : null,
      permalink: previous?.permalink ?? null,
    };
  }
  const scheduled = content.publish_at && content.publish_at > now ? content.publish_at : now;
  const published_at = wasPublic
    ? (previous?.published_at as string)
    : input.publishedAt
      ? isoMoment(input.publishedAt, 'publishedAt')
      : scheduled;
  return { published_at, permalink: previous?.permalink ?? permalinkOf(content) };
}

function actionOf(previous: DocumentStatus | null, next: DocumentStatus): ChangeAction {
  if (next === 'published' && previous !== 'published') return 'published';
  if (previous === 'published' && next !== 'published') return 'unpublished';
  return 'updated';
}

async function writeTerms(tx: Tx, documentId: number, input: DocumentInput, replace: boolean): Promise<void> {
  if (replace) {
    await tx.deleteFrom('document_fields').where('document_id', '=', documentId).execute();
    await tx.deleteFrom('document_countries').where('document_id', '=', documentId).execute();
    await tx.deleteFrom('document_sources').where('document_id', '=', documentId).execute();
  }
  const fieldIds = [...new Set(input.fieldIds ?? [])];
  const countryIds = [...new Set(input.countryIds ?? [])];
  const sourceIds = [...new Set(input.sourceIds ?? [])];
  if (fieldIds.length > 0) {
    await tx
      .insertInto('document_fields')
      .values(fieldIds.map((field_id, position) => ({ document_id: documentId, field_id, position })))
      .execute();
  }
  if (countryIds.length > 0) {
    await tx
      .insertInto('document_countries')
      .values(countryIds.map((country_id, position) => ({ document_id: documentId, country_id, position })))
      .execute();
  }
  if (sourceIds.length > 0) {
    await tx
      .insertInto('document_sources')
      .values(sourceIds.map((structure_id, position) => ({ document_id: documentId, structure_id, position })))
      .execute();
  }
}

/**
 * @example const writer = documentWriter({ search, clock, isUniqueViolation: store.isUniqueViolation });
 * await store.transaction((tx) => writer.create(tx, input));
 */
export function documentWriter({ search, clock, isUniqueViolation }: DocumentWriterOptions): DocumentWriter {
  /** Slugs are unique per kind and language: checked first for a clear message, and by the constraint. */
  async function assertSlugFree(tx: Tx, content: Content, exceptId: number | null): Promise<void> {
    let query = tx
      .selectFrom('documents')
      .select('id')
      .where('kind', '=', content.kind)
      .where('language', '=', content.language)
      .where('slug', '=', content.slug);
    if (exceptId !== null) query = query.where('id', '!=', exceptId);
    if (await query.executeTakeFirst()) throw slugTaken(content);
  }
  const slugTaken = (content: Content) =>
    new SlugTakenError(`The address "${content.slug}" is already used by another ${content.kind}`);
  /** A concurrent writer can take the slug between the check and the write: the constraint decides. */
  async function guarded<T>(content: Content, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(content);
      throw error;
    }
  }
  async function recordRevision(
    tx: Tx,
    id: number,
    revision: number,
    input: DocumentInput,
    note: string | null,
    at: string,
  ) {
    await tx
      .insertInto('document_revisions')
      .values({ document_id: id, revision, snapshot: snapshotOf(input), note, created_at: at })
      .execute();
  }

  return {
    async create(tx, input, note = null) {
      const now = clock().toISOString();
      const content = contentOf(input);
      await assertSlugFree(tx, content, null);
      const publication = publicationOf(content, null, input, now);
      const { id } = await guarded(content, () =>
        tx
          .insertInto('documents')
          .values({ ...content, ...publication, revision: 1, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      await writeTerms(tx, id, input, false);
      await recordRevision(tx, id, 1, input, note, now);
      await search.index(tx, id, searchTextOf(content));
      await recordChange(tx, { documentId: id, action: 'created', revision: 1, at: now });
      if (content.status === 'published') {
        await recordChange(tx, { documentId: id, action: 'published', revision: 1, at: now });
      }
      return id;
    },

    async update(tx, id, expectedRevision, input, note = null) {
      const now = clock().toISOString();
      const content = contentOf(input);
      await assertSlugFree(tx, content, id);
      const previous = await tx
        .selectFrom('documents')
        .select(['status', 'published_at', 'permalink', 'revision'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!previous || previous.revision !== expectedRevision) {
        throw new StaleRevisionError(expectedRevision, previous?.revision ?? 0);
      }
      const revision = expectedRevision + 1;
      const result = await guarded(content, () =>
        tx
          .updateTable('documents')
          .set({ ...content, ...publicationOf(content, previous, input, now), revision, updated_at: now })
          .where('id', '=', id)
          .where('revision', '=', expectedRevision)
          .executeTakeFirst(),
      );
      if (Number(result.numUpdatedRows) !== 1) throw new StaleRevisionError(expectedRevision, revision);
      await writeTerms(tx, id, input, true);
      await recordRevision(tx, id, revision, input, note, now);
      await search.index(tx, id, searchTextOf(content));
      await recordChange(tx, { documentId: id, action: actionOf(previous.status, content.status), revision, at: now });
      return revision;
    },

    async remove(tx, id) {
      const now = clock().toISOString();
      await search.remove(tx, id);
      const result = await tx.deleteFrom('documents').where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1) return false;
      await recordChange(tx, { documentId: id, action: 'deleted', at: now });
      return true;
    },
  };
}

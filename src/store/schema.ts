// Kysely table types: the one description of the database that application code sees.
// Timestamps cross the store boundary as ISO-8601 UTC strings ("2007-09-11T00:00:00.000Z"),
// on both engines, so that they sort and compare as text and serialise without conversion.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type DocumentKind = 'press-release' | 'news' | 'statement' | 'event' | 'publication' | 'page';
export type DocumentStatus = 'draft' | 'published' | 'archived';
export type CountryRole = 'participating' | 'asian-partner' | 'mediterranean-partner';

export interface FieldOfWorkTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: 'field' | 'section';
  summary: string;
  position: number;
}

export interface CountryTable {
  id: Generated<number>;
  slug: string;
  name: string;
  iso_code: string;
  role: CountryRole;
  since_year: number;
  capital: string | null;
  position: number;
}

export interface StructureTable {
  id: Generated<number>;
  slug: string;
  name: string;
  short_name: string | null;
  kind: string;
  parent_id: number | null;
  seat: string | null;
  country_id: number | null;
  territory: string | null;
  opened_year: number | null;
  closed_year: number | null;
  summary: string | null;
  /** JSON array of alternative names, used to resolve a legacy page's "Source:". */
  aliases: string;
  position: number;
}

export interface MeetingSeriesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  summary: string;
  position: number;
}

export interface ChairpersonshipTable {
  year: number;
  country_id: number | null;
  country_name: string;
  adjective: string;
  title: string;
}

export interface DocumentTable {
  id: Generated<number>;
  kind: DocumentKind;
  slug: string;
  language: string;
  translation_group: string | null;
  title: string;
  summary: string;
  /** Sanitised on the way in; rendered as is. */
  body_html: string;
  /** The document's own date, as its dateline gives it; for an event, when it starts. */
  dated_at: string;
  /** When an event ends. */
  ends_at: string | null;
  /** IANA time zone an event's times are given in ("Europe/Vienna"); null: dates only, UTC. */
  time_zone: string | null;
  /** The dateline's city or cities, "Chisinau/Vienna". */
  place: string | null;
  meeting_series_id: number | null;
  status: DocumentStatus;
  /** Embargo or schedule: not public before this moment (null: as soon as published). */
  publish_at: string | null;
  /** When the document first went (or, scheduled, goes) public; null while never published. */
  published_at: string | null;
  /** The public address, fixed when the document is first published; null before. */
  permalink: string | null;
  is_demo: number;
  /** Stable identity of an imported legacy page, so that re-importing updates it. */
  legacy_key: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
}

/** The structures that issued a document, in order: position 0 leads. */
export interface DocumentSourceTable {
  document_id: number;
  structure_id: number;
  position: number;
}

export type ChangeAction = 'created' | 'updated' | 'published' | 'unpublished' | 'deleted' | 'taxonomies';

/** The change log: one row per change, in commit order, written in the changing transaction. */
export interface DocumentChangeTable {
  seq: Generated<number>;
  /** Null for changes that are not about one document (the taxonomies were reseeded). */
  document_id: number | null;
  action: ChangeAction;
  revision: number | null;
  at: string;
}

export interface DocumentFieldTable {
  document_id: number;
  field_id: number;
  position: Generated<number>;
}

export interface DocumentCountryTable {
  document_id: number;
  country_id: number;
  position: Generated<number>;
}

export interface DocumentRevisionTable {
  document_id: number;
  revision: number;
  /** JSON snapshot of the document and its terms as saved. */
  snapshot: string;
  note: string | null;
  created_at: string;
}

/** The plain text the search index is built from (one row per document). */
export interface DocumentTextTable {
  document_id: number;
  title: string;
  summary: string;
  body: string;
}

export interface Database {
  fields_of_work: FieldOfWorkTable;
  countries: CountryTable;
  structures: StructureTable;
  meeting_series: MeetingSeriesTable;
  chairpersonships: ChairpersonshipTable;
  documents: DocumentTable;
  document_fields: DocumentFieldTable;
  document_countries: DocumentCountryTable;
  document_sources: DocumentSourceTable;
  document_changes: DocumentChangeTable;
  document_revisions: DocumentRevisionTable;
  document_texts: DocumentTextTable;
}

export type DocumentRow = Selectable<DocumentTable>;
export type NewDocumentRow = Insertable<DocumentTable>;
export type DocumentRowUpdate = Updateable<DocumentTable>;
export type DocumentChange = Selectable<DocumentChangeTable>;
export type FieldOfWork = Selectable<FieldOfWorkTable>;
export type Country = Selectable<CountryTable>;
export type Structure = Selectable<StructureTable>;
export type MeetingSeries = Selectable<MeetingSeriesTable>;
export type Chairpersonship = Selectable<ChairpersonshipTable>;

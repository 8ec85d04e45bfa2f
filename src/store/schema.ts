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
  /** The document's date; also the moment it becomes public (embargo and scheduling). */
  published_at: string;
  ends_at: string | null;
  place: string | null;
  source_id: number | null;
  meeting_series_id: number | null;
  status: DocumentStatus;
  is_demo: number;
  /** Stable identity of an imported legacy page, so that re-importing updates it. */
  legacy_key: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
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
  document_revisions: DocumentRevisionTable;
  document_texts: DocumentTextTable;
}

export type DocumentRow = Selectable<DocumentTable>;
export type NewDocumentRow = Insertable<DocumentTable>;
export type DocumentRowUpdate = Updateable<DocumentTable>;
export type FieldOfWork = Selectable<FieldOfWorkTable>;
export type Country = Selectable<CountryTable>;
export type Structure = Selectable<StructureTable>;
export type MeetingSeries = Selectable<MeetingSeriesTable>;
export type Chairpersonship = Selectable<ChairpersonshipTable>;

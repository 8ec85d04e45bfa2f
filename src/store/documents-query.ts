// The type of a query over documents aliased `d`, shared by the listing and search code.
import type { SelectQueryBuilder } from 'kysely';
import type { Database, DocumentTable } from './schema.ts';

export type DocumentsDb = Database & { d: DocumentTable };
export type DocumentsQuery<O> = SelectQueryBuilder<DocumentsDb, 'd', O>;

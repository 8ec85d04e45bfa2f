// Frozen in time: the first schema. Never import application types here.
import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, { idType, timestampType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('fields_of_work')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('countries')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('iso_code', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('since_year', 'integer', (c) => c.notNull())
    .addColumn('capital', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('structures')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('structures.id').onDelete('set null'))
    .addColumn('seat', 'text')
    .addColumn('country_id', 'integer', (c) => c.references('countries.id').onDelete('set null'))
    .addColumn('territory', 'text')
    .addColumn('opened_year', 'integer')
    .addColumn('closed_year', 'integer')
    .addColumn('summary', 'text')
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meeting_series')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('chairpersonships')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('country_id', 'integer', (c) => c.references('countries.id').onDelete('set null'))
    .addColumn('country_name', 'text', (c) => c.notNull())
    .addColumn('adjective', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('translation_group', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_at', timestampType, (c) => c.notNull())
    .addColumn('ends_at', timestampType)
    .addColumn('place', 'text')
    .addColumn('source_id', 'integer', (c) => c.references('structures.id').onDelete('set null'))
    .addColumn('meeting_series_id', 'integer', (c) => c.references('meeting_series.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('legacy_key', 'text', (c) => c.unique())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', timestampType, (c) => c.notNull())
    .addColumn('updated_at', timestampType, (c) => c.notNull())
    .addUniqueConstraint('documents_kind_language_slug', ['kind', 'language', 'slug'])
    .execute();
  // The public read path: "published, newest first", optionally of one kind or one source.
  await db.schema.createIndex('documents_public').on('documents').columns(['status', 'published_at']).execute();
  await db.schema
    .createIndex('documents_kind_public')
    .on('documents')
    .columns(['kind', 'status', 'published_at'])
    .execute();
  await db.schema
    .createIndex('documents_source_public')
    .on('documents')
    .columns(['source_id', 'status', 'published_at'])
    .execute();
  await db.schema
    .createIndex('documents_meeting_series')
    .on('documents')
    .columns(['meeting_series_id', 'published_at'])
    .execute();

  for (const [table, column, target] of [
    ['document_fields', 'field_id', 'fields_of_work'],
    ['document_countries', 'country_id', 'countries'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
      .addColumn(column, 'integer', (c) => c.notNull().references(`${target}.id`).onDelete('cascade'))
      // The order the author gave ("Human rights, Combating trafficking in human beings").
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(`${table}_pk`, ['document_id', column])
      .execute();
    await db.schema.createIndex(`${table}_by_term`).on(table).columns([column, 'document_id']).execute();
  }

  await db.schema
    .createTable('document_revisions')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', timestampType, (c) => c.notNull())
    .addPrimaryKeyConstraint('document_revisions_pk', ['document_id', 'revision'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'document_revisions',
    'document_countries',
    'document_fields',
    'documents',
    'chairpersonships',
    'meeting_series',
    'structures',
    'countries',
    'fields_of_work',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

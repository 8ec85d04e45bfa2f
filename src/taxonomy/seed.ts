// Loads the taxonomy files into the database; running it again updates, never duplicates.
import { recordChange } from '../documents/change-log.ts';
import type { Tx } from '../store/store.ts';
import type { StructureEntry, TaxonomyData } from './data-files.ts';

export interface SeedCounts {
  fieldsOfWork: number;
  meetingSeries: number;
  countries: number;
  structures: number;
  chairpersonships: number;
}

/** Every taxonomy row, as text: compared before and after seeding to tell whether anything changed. */
async function taxonomyFingerprint(tx: Tx): Promise<string> {
  const tables = await Promise.all([
    tx.selectFrom('fields_of_work').selectAll().orderBy('id').execute(),
    tx.selectFrom('meeting_series').selectAll().orderBy('id').execute(),
    tx.selectFrom('countries').selectAll().orderBy('id').execute(),
    tx.selectFrom('structures').selectAll().orderBy('id').execute(),
    tx.selectFrom('chairpersonships').selectAll().orderBy('year').execute(),
  ]);
  return JSON.stringify(tables);
}

/**
 * Writes the taxonomies; when anything changed, the change log says so (`at`: the clock's moment),
 * so that every process reloads its catalogue.
 */
export async function seedTaxonomies(tx: Tx, data: TaxonomyData, at: string): Promise<SeedCounts> {
  const before = await taxonomyFingerprint(tx);
  const counts = await writeTaxonomies(tx, data);
  if ((await taxonomyFingerprint(tx)) !== before)
    await recordChange(tx, { documentId: null, action: 'taxonomies', at });
  return counts;
}

async function writeTaxonomies(tx: Tx, data: TaxonomyData): Promise<SeedCounts> {
  for (const [position, field] of data.fieldsOfWork.entries()) {
    const row = { name: field.name, kind: field.kind, summary: field.summary, position };
    await tx
      .insertInto('fields_of_work')
      .values({ slug: field.slug, ...row })
      .onConflict((oc) => oc.column('slug').doUpdateSet(row))
      .execute();
  }

  for (const [position, series] of data.meetingSeries.entries()) {
    const row = { name: series.name, summary: series.summary, position };
    await tx
      .insertInto('meeting_series')
      .values({ slug: series.slug, ...row })
      .onConflict((oc) => oc.column('slug').doUpdateSet(row))
      .execute();
  }

  const countryIds = new Map<string, number>();
  for (const [position, country] of data.countries.entries()) {
    const row = {
      name: country.name,
      iso_code: country.iso,
      role: country.role,
      since_year: country.since,
      capital: country.capital ?? null,
      position,
    };
    const { id } = await tx
      .insertInto('countries')
      .values({ slug: country.slug, ...row })
      .onConflict((oc) => oc.column('slug').doUpdateSet(row))
      .returning('id')
      .executeTakeFirstOrThrow();
    countryIds.set(country.slug, id);
  }
  const countryId = (slug: string | undefined | null, where: string): number | null => {
    if (!slug) return null;
    const id = countryIds.get(slug);
    if (id === undefined) throw new Error(`${where}: unknown country "${slug}"`);
    return id;
  };

  let structures = 0;
  const seedStructure = async (entry: StructureEntry, parentId: number | null, position: number) => {
    const row = {
      name: entry.name,
      short_name: entry.shortName ?? null,
      kind: entry.kind,
      parent_id: parentId,
      seat: entry.seat ?? null,
      country_id: countryId(entry.country, `structure ${entry.slug}`),
      territory: entry.territory ?? null,
      opened_year: entry.opened ?? null,
      closed_year: entry.closed ?? null,
      summary: entry.summary ?? null,
      aliases: JSON.stringify(entry.aliases ?? []),
      position,
    };
    const { id } = await tx
      .insertInto('structures')
      .values({ slug: entry.slug, ...row })
      .onConflict((oc) => oc.column('slug').doUpdateSet(row))
      .returning('id')
      .executeTakeFirstOrThrow();
    structures += 1;
    for (const [childPosition, child] of (entry.children ?? []).entries()) {
      await seedStructure(child, id, childPosition);
    }
  };
  for (const [position, root] of data.structures.entries()) await seedStructure(root, null, position);

  for (const chair of data.chairpersonships) {
    const row = {
      country_id: countryId(chair.country, `chairpersonship ${chair.year}`),
      country_name:
        chair.countryName ?? data.countries.find((c) => c.slug === chair.country)?.name ?? String(chair.country),
      adjective: chair.adjective,
      title: chair.title,
    };
    await tx
      .insertInto('chairpersonships')
      .values({ year: chair.year, ...row })
      .onConflict((oc) => oc.column('year').doUpdateSet(row))
      .execute();
  }

  return {
    fieldsOfWork: data.fieldsOfWork.length,
    meetingSeries: data.meetingSeries.length,
    countries: data.countries.length,
    structures,
    chairpersonships: data.chairpersonships.length,
  };
}

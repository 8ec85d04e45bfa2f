// The taxonomies held in memory: a few hundred rows that every page needs (menu, metadata).

import type { Chairpersonship, Country, FieldOfWork, MeetingSeries, Structure } from '../store/schema.ts';
import type { Db } from '../store/store.ts';

export interface StructureNode extends Structure {
  readonly children: StructureNode[];
  readonly parent: StructureNode | null;
  readonly aliasList: readonly string[];
}

export interface ChairpersonshipInfo extends Chairpersonship {
  /** "2007 Spanish Chairmanship" */
  readonly label: string;
  readonly country: Country | null;
}

export interface Catalog {
  readonly fields: readonly FieldOfWork[];
  readonly countries: readonly Country[];
  readonly structureRoots: readonly StructureNode[];
  readonly structures: readonly StructureNode[];
  readonly meetings: readonly MeetingSeries[];
  readonly chairpersonships: ReadonlyMap<number, ChairpersonshipInfo>;
  fieldBySlug(slug: string): FieldOfWork | undefined;
  fieldById(id: number): FieldOfWork | undefined;
  countryBySlug(slug: string): Country | undefined;
  countryById(id: number): Country | undefined;
  structureBySlug(slug: string): StructureNode | undefined;
  structureById(id: number): StructureNode | undefined;
  meetingBySlug(slug: string): MeetingSeries | undefined;
  meetingById(id: number): MeetingSeries | undefined;
  /** Resolves a legacy label ("OSCE Secretariat", "ODIHR") to a structure. */
  structureByName(name: string): StructureNode | undefined;
  fieldByName(name: string): FieldOfWork | undefined;
  countryByName(name: string): Country | undefined;
  /** The chairpersonship in office at a moment (by calendar year, UTC). */
  chairpersonshipAt(moment: Date): ChairpersonshipInfo | undefined;
  /** A structure's id and those of every structure above it (empty for an unknown id). */
  ancestorIds(structureId: number): readonly number[];
  /** Every structure's id with the ids of itself and every structure under it. */
  readonly subtrees: ReadonlyMap<number, readonly number[]>;
}

const normalise = (label: string) =>
  label
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^(the\s+)?osce\s+/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

function indexBy<T>(rows: readonly T[], key: (row: T) => string | number): Map<string | number, T> {
  return new Map(rows.map((row) => [key(row), row]));
}

/** Reads all taxonomies in five statements. */
export async function loadCatalog(db: Db): Promise<Catalog> {
  const [fields, countries, structureRows, meetings, chairRows] = await Promise.all([
    db.selectFrom('fields_of_work').selectAll().orderBy('position').execute(),
    db.selectFrom('countries').selectAll().orderBy('position').execute(),
    db.selectFrom('structures').selectAll().orderBy('position').orderBy('id').execute(),
    db.selectFrom('meeting_series').selectAll().orderBy('position').execute(),
    db.selectFrom('chairpersonships').selectAll().orderBy('year').execute(),
  ]);
  return buildCatalog(fields, countries, structureRows, meetings, chairRows);
}

export function buildCatalog(
  fields: FieldOfWork[],
  countries: Country[],
  structureRows: Structure[],
  meetings: MeetingSeries[],
  chairRows: Chairpersonship[],
): Catalog {
  const nodes = structureRows.map(
    (row): StructureNode => ({
      ...row,
      children: [],
      parent: null,
      aliasList: JSON.parse(row.aliases) as string[],
    }),
  );
  const nodeById = new Map(nodes.map((node) => [node.id, node]));
  const roots: StructureNode[] = [];
  for (const node of nodes) {
    const parent = node.parent_id === null ? undefined : nodeById.get(node.parent_id);
    if (parent) {
      (node as { parent: StructureNode | null }).parent = parent;
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  // Depth-first order, so that "all structures" reads like the menu.
  const ordered: StructureNode[] = [];
  const walk = (node: StructureNode) => {
    ordered.push(node);
    node.children.forEach(walk);
  };
  roots.forEach(walk);

  const countryById = indexBy(countries, (c) => c.id);
  const chairpersonships = new Map<number, ChairpersonshipInfo>(
    chairRows.map((row) => [
      row.year,
      {
        ...row,
        label: `${row.year} ${row.adjective} ${row.title}`,
        country: row.country_id === null ? null : (countryById.get(row.country_id) ?? null),
      },
    ]),
  );

  const byName = <T>(rows: readonly T[], labels: (row: T) => (string | null)[]) => {
    const map = new Map<string, T>();
    for (const row of rows) for (const label of labels(row)) if (label) map.set(normalise(label), row);
    return (name: string) => map.get(normalise(name));
  };

  const fieldBySlug = indexBy(fields, (f) => f.slug);
  const fieldById = indexBy(fields, (f) => f.id);
  const countryBySlug = indexBy(countries, (c) => c.slug);
  const structureBySlug = indexBy(ordered, (s) => s.slug);
  const meetingBySlug = indexBy(meetings, (m) => m.slug);
  const meetingById = indexBy(meetings, (m) => m.id);

  const ancestors = new Map<number, number[]>();
  const subtrees = new Map<number, number[]>();
  for (const node of ordered) {
    const chain: number[] = [];
    for (let at: StructureNode | null = node; at; at = at.parent) chain.push(at.id);
    ancestors.set(node.id, chain);
    for (const id of chain) {
      const subtree = subtrees.get(id) ?? [];
      subtree.push(node.id);
      subtrees.set(id, subtree);
    }
  }

  return {
    fields,
    countries,
    structureRoots: roots,
    structures: ordered,
    meetings,
    chairpersonships,
    fieldBySlug: (slug) => fieldBySlug.get(slug),
    fieldById: (id) => fieldById.get(id),
    countryBySlug: (slug) => countryBySlug.get(slug),
    countryById: (id) => countryById.get(id),
    structureBySlug: (slug) => structureBySlug.get(slug),
    structureById: (id) => nodeById.get(id),
    meetingBySlug: (slug) => meetingBySlug.get(slug),
    meetingById: (id) => meetingById.get(id),
    structureByName: byName(ordered, (s) => [s.name, s.short_name, ...s.aliasList]),
    fieldByName: byName(fields, (f) => [f.name]),
    countryByName: byName(countries, (c) => [c.name, c.iso_code]),
    chairpersonshipAt: (moment) => chairpersonships.get(moment.getUTCFullYear()),
    ancestorIds: (id) => ancestors.get(id) ?? [],
    subtrees,
  };
}

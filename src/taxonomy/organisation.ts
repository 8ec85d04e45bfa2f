// The organisation's own names and address, and how its structures sign what they issue: the
// vocabulary every renderer (pages, feeds, metadata, the API) shares.
import type { StructureNode } from './catalog.ts';

export const ORGANISATION_SHORT_NAME = 'OSCE';
export const ORGANISATION_NAME = 'Organization for Security and Co-operation in Europe';

/** The Secretariat's seat in Vienna. */
export const HEADQUARTERS_ADDRESS = {
  street: 'Wallnerstrasse 6',
  postalCode: '1010',
  locality: 'Vienna',
  countryCode: 'AT',
  country: 'Austria',
} as const;

/** One line: "Wallnerstrasse 6, 1010 Vienna, Austria". */
export const HEADQUARTERS_LINE = `${HEADQUARTERS_ADDRESS.street}, ${HEADQUARTERS_ADDRESS.postalCode} ${HEADQUARTERS_ADDRESS.locality}, ${HEADQUARTERS_ADDRESS.country}`;

/**
 * How a structure signs its documents.
 * @example sourceLabel(secretariat) // 'OSCE Secretariat'
 */
export function sourceLabel(node: StructureNode): string {
  return node.aliasList.find((alias) => alias === `OSCE ${node.name}`) ?? node.name;
}

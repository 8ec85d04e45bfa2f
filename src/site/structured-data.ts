// schema.org descriptions of the organisation and of documents, and the sharing metadata of documents.

import { documentLastmod } from '../documents/visibility.ts';
import { structurePath } from '../listing/urls.ts';
import type { DocumentRow } from '../store/schema.ts';
import type { StructureNode } from '../taxonomy/catalog.ts';
import {
  HEADQUARTERS_ADDRESS,
  ORGANISATION_NAME,
  ORGANISATION_SHORT_NAME,
  sourceLabel,
} from '../taxonomy/organisation.ts';
import { localIsoMoment } from './format.ts';
import type { SocialMeta } from './head.ts';
import type { JsonLdNode } from './json-ld.ts';

const SCHEMA_ORG = 'https://schema.org';

/** The organisation's seat, as the footer gives it. */
const HEADQUARTERS: JsonLdNode = {
  '@type': 'PostalAddress',
  streetAddress: HEADQUARTERS_ADDRESS.street,
  postalCode: HEADQUARTERS_ADDRESS.postalCode,
  addressLocality: HEADQUARTERS_ADDRESS.locality,
  addressCountry: HEADQUARTERS_ADDRESS.countryCode,
};

/** The columns of a document its metadata is made of. */
export type DescribedDocument = Pick<
  DocumentRow,
  | 'kind'
  | 'title'
  | 'summary'
  | 'language'
  | 'dated_at'
  | 'published_at'
  | 'updated_at'
  | 'ends_at'
  | 'time_zone'
  | 'place'
>;

export interface DocumentMetadataInput {
  baseUrl: string;
  doc: DescribedDocument;
  /** Absolute canonical URL of the document. */
  url: string;
  /** The structures that issued it, the lead first. */
  sources: readonly StructureNode[];
  /** Names of its fields of work, main one first. */
  fields: readonly string[];
  /** Names of the countries it concerns. */
  countries: readonly string[];
}

export interface DocumentMetadata {
  social: SocialMeta;
  jsonLd: readonly JsonLdNode[];
}

/**
 * The one node id of the organisation, which every document refers to.
 * @example organizationId('https://www.osce.org') // 'https://www.osce.org/#organization'
 */
export const organizationId = (baseUrl: string): string => `${baseUrl}/#organization`;

function organizationReference(baseUrl: string): JsonLdNode {
  return {
    '@type': 'GovernmentOrganization',
    '@id': organizationId(baseUrl),
    name: ORGANISATION_NAME,
    alternateName: ORGANISATION_SHORT_NAME,
    url: `${baseUrl}/`,
  };
}

function structureOrganization(baseUrl: string, node: StructureNode): JsonLdNode {
  return {
    '@type': 'GovernmentOrganization',
    name: sourceLabel(node),
    url: `${baseUrl}${structurePath(node.slug)}`,
    parentOrganization: organizationReference(baseUrl),
  };
}

/**
 * The organisation, for the home page.
 * @example organizationJsonLd('https://www.osce.org')['@type'] // 'GovernmentOrganization'
 */
export function organizationJsonLd(baseUrl: string, logoPath?: string): JsonLdNode {
  return {
    '@context': SCHEMA_ORG,
    ...organizationReference(baseUrl),
    logo: logoPath ? `${baseUrl}${logoPath}` : undefined,
    address: HEADQUARTERS,
  };
}

/**
 * The website itself (the name search engines show for it), for the home page.
 * @example websiteJsonLd('https://www.osce.org').name // 'OSCE'
 */
export function websiteJsonLd(baseUrl: string): JsonLdNode {
  return {
    '@context': SCHEMA_ORG,
    '@type': 'WebSite',
    '@id': `${baseUrl}/#website`,
    name: ORGANISATION_SHORT_NAME,
    alternateName: ORGANISATION_NAME,
    url: `${baseUrl}/`,
    inLanguage: 'en',
    publisher: { '@id': organizationId(baseUrl) },
  };
}

/** Events stored at midnight UTC are all-day: a date says that better than a moment. */
/** An event's moment: a day alone at midnight UTC, else the moment in its own time zone with its offset. */
function eventDate(iso: string, timeZone: string | null): string {
  if (iso.endsWith('T00:00:00.000Z') && !timeZone) return iso.slice(0, 10);
  return timeZone ? localIsoMoment(iso, timeZone) : iso;
}

function articleType(kind: DescribedDocument['kind']): string | undefined {
  switch (kind) {
    case 'press-release':
    case 'news':
    case 'statement':
      return 'NewsArticle';
    case 'publication':
      return 'Report';
    default:
      return undefined;
  }
}

/**
 * The schema.org node of a document: NewsArticle (press releases, news, statements), Report
 * (publications), Event (events); none for pages.
 * @example documentJsonLd({ baseUrl, doc, url, fields: ['Human rights'], countries: [] })?.['@type'] // 'NewsArticle'
 */
export function documentJsonLd(input: DocumentMetadataInput): JsonLdNode | undefined {
  const { baseUrl, doc, url, sources, fields, countries } = input;
  const issuers = sources.map((source) => structureOrganization(baseUrl, source));
  // One issuer as a node, several (a joint release) as a list, the lead first.
  const issuer = issuers.length === 0 ? organizationReference(baseUrl) : issuers.length === 1 ? issuers[0] : issuers;
  const common = {
    url,
    description: doc.summary || undefined,
    inLanguage: doc.language,
    keywords: fields.length > 0 ? fields.join(', ') : undefined,
    about: countries.length > 0 ? countries.map((name): JsonLdNode => ({ '@type': 'Country', name })) : undefined,
  };
  if (doc.kind === 'event') {
    return {
      '@context': SCHEMA_ORG,
      '@type': 'Event',
      name: doc.title,
      ...common,
      startDate: eventDate(doc.dated_at, doc.time_zone),
      endDate: doc.ends_at ? eventDate(doc.ends_at, doc.time_zone) : undefined,
      eventStatus: 'https://schema.org/EventScheduled',
      eventAttendanceMode: doc.place ? 'https://schema.org/OfflineEventAttendanceMode' : undefined,
      location: doc.place
        ? { '@type': 'Place', name: doc.place, address: { '@type': 'PostalAddress', addressLocality: doc.place } }
        : undefined,
      organizer: issuer,
    };
  }
  const type = articleType(doc.kind);
  if (!type) return undefined;
  return {
    '@context': SCHEMA_ORG,
    '@type': type,
    headline: doc.title,
    ...common,
    datePublished: doc.dated_at,
    dateModified: documentLastmod(doc),
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    author: issuer,
    publisher: organizationReference(baseUrl),
    articleSection: fields[0],
    contentLocation: doc.place ? { '@type': 'Place', name: doc.place } : undefined,
    isAccessibleForFree: true,
  };
}

/**
 * What a document page puts in its head besides the title: sharing tags and JSON-LD.
 * @example const { social, jsonLd } = documentMetadata({ baseUrl, doc, url, source, fields, countries });
 */
export function documentMetadata(input: DocumentMetadataInput): DocumentMetadata {
  const { doc, fields } = input;
  const node = documentJsonLd(input);
  const social: SocialMeta =
    doc.kind === 'page'
      ? { type: 'website' }
      : {
          type: 'article',
          publishedTime: doc.dated_at,
          modifiedTime: documentLastmod(doc),
          section: fields[0],
          tags: fields,
        };
  return { social, jsonLd: node ? [node] : [] };
}

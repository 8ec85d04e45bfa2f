// Who publishes what in the demo corpus: how often each structure issues documents, on which
// fields of work and who speaks for it; where each meeting series meets and what it is called.
// Keyed by the taxonomy's slugs; a structure or series not listed here gets sensible defaults.

export interface StructureProfile {
  /** Relative share of the documents issued in a year the structure is active. */
  weight: number;
  /** Fields of work (slugs) it issues documents on; none: every field. */
  fields?: readonly string[];
  /** Who is quoted: the first mention, then the short one. */
  speaker?: readonly [string, string];
  /** Named in a sentence, first mention ("the OSCE Secretariat"). */
  text?: string;
  /** Named again in the same text ("the Secretariat"). */
  short?: string;
  /** Named at the start of a title ("OSCE Secretariat"). */
  title?: string;
  /** Holds training courses, workshops and projects in the host country. */
  operational?: boolean;
}

const KIND_DEFAULTS: Readonly<Record<string, StructureProfile>> = {
  'field-operation': { weight: 2.6, operational: true },
  'closed-field-operation': { weight: 2.6, operational: true },
  institution: { weight: 4 },
  secretariat: { weight: 2.5 },
  'secretariat-unit': { weight: 1.2 },
  chairpersonship: { weight: 3 },
  'parliamentary-assembly': { weight: 1.6 },
  court: { weight: 0.3 },
};

const PROFILES: Readonly<Record<string, StructureProfile>> = {
  secretariat: { weight: 2.5, speaker: ['the OSCE Secretary General', 'the Secretary General'] },
  'secretary-general': {
    weight: 1.5,
    speaker: ['the OSCE Secretary General', 'the Secretary General'],
    short: 'the Secretary General',
  },
  'office-of-the-secretary-general': {
    weight: 0.6,
    fields: ['conflict-prevention-and-resolution', 'gender-equality', 'youth', 'good-governance'],
    speaker: ['the Director of the Office of the Secretary General', 'the Director'],
    short: 'the Office',
  },
  'conflict-prevention-centre': {
    weight: 1.6,
    fields: [
      'conflict-prevention-and-resolution',
      'arms-control',
      'border-management',
      'reform-and-co-operation-in-the-security-sector',
    ],
    speaker: ['the Director of the OSCE Conflict Prevention Centre', 'the CPC Director'],
    short: 'the CPC',
  },
  'transnational-threats-department': {
    weight: 1.6,
    fields: ['countering-terrorism', 'policing', 'border-management', 'cyber-ict-security'],
    speaker: ['the Director of the OSCE Transnational Threats Department', 'the TNTD Director'],
    short: 'the Department',
  },
  'office-of-the-special-representative-and-co-ordinator-for-combating-trafficking-in-human-beings': {
    weight: 1.4,
    fields: ['combating-trafficking-in-human-beings', 'migration'],
    speaker: [
      'the OSCE Special Representative and Co-ordinator for Combating Trafficking in Human Beings',
      'the Special Representative',
    ],
    short: 'the Office',
  },
  'office-of-the-co-ordinator-of-osce-economic-and-environmental-activities': {
    weight: 1.4,
    fields: ['economic-activities', 'environmental-activities', 'good-governance', 'migration'],
    speaker: ['the Co-ordinator of OSCE Economic and Environmental Activities', 'the Co-ordinator'],
    short: 'the OCEEA',
  },
  'gender-issues-programme': {
    weight: 0.9,
    fields: ['gender-equality'],
    speaker: ['the Head of the Gender Issues Programme', 'the Head of the Programme'],
    text: 'the Gender Issues Programme of the OSCE Secretariat',
    short: 'the Programme',
  },
  'opportunities-for-youth': {
    weight: 0.7,
    fields: ['youth', 'education'],
    speaker: ['a representative of Opportunities for Youth', 'the representative'],
    text: 'the Opportunities for Youth programme of the OSCE Secretariat',
    short: 'the programme',
  },
  'department-of-human-resources': {
    weight: 0.25,
    fields: ['gender-equality', 'youth'],
    speaker: ['the Director of the Department of Human Resources', 'the Director'],
    text: 'the Department of Human Resources of the OSCE Secretariat',
    short: 'the Department',
  },
  'department-of-management-and-finance': {
    weight: 0.2,
    fields: ['good-governance'],
    speaker: ['the Director of the Department of Management and Finance', 'the Director'],
    text: 'the Department of Management and Finance of the OSCE Secretariat',
    short: 'the Department',
  },
  'office-of-internal-oversight': {
    weight: 0.2,
    fields: ['good-governance'],
    speaker: ['the Director of the Office of Internal Oversight', 'the Director'],
    text: 'the Office of Internal Oversight of the OSCE Secretariat',
    short: 'the Office',
  },
  'documentation-centre-in-prague': {
    weight: 0.4,
    fields: ['education', 'democratization', 'human-rights'],
    speaker: ['the Head of the OSCE Documentation Centre in Prague', 'the Head of the Centre'],
    short: 'the Centre',
  },
  'office-for-democratic-institutions-and-human-rights': {
    weight: 5,
    fields: [
      'elections',
      'democratization',
      'human-rights',
      'tolerance-and-non-discrimination',
      'roma-and-sinti',
      'rule-of-law',
      'gender-equality',
      'migration',
    ],
    speaker: ['the ODIHR Director', 'the Director'],
    text: 'the OSCE Office for Democratic Institutions and Human Rights (ODIHR)',
    short: 'ODIHR',
    title: 'ODIHR',
  },
  'high-commissioner-on-national-minorities': {
    weight: 2.5,
    fields: [
      'national-minority-issues',
      'education',
      'conflict-prevention-and-resolution',
      'tolerance-and-non-discrimination',
    ],
    speaker: ['the OSCE High Commissioner on National Minorities', 'the High Commissioner'],
    short: 'the High Commissioner',
  },
  'representative-on-freedom-of-the-media': {
    weight: 2.5,
    fields: ['media-freedom-and-development'],
    speaker: ['the OSCE Representative on Freedom of the Media', 'the Representative'],
    short: 'the Representative',
  },
  'special-monitoring-mission-to-ukraine': {
    weight: 4,
    operational: true,
    fields: ['conflict-prevention-and-resolution', 'human-rights', 'gender-equality', 'environmental-activities'],
    speaker: ['the Chief Monitor of the OSCE Special Monitoring Mission to Ukraine', 'the Chief Monitor'],
    short: 'the SMM',
  },
  'parliamentary-assembly': {
    weight: 1.6,
    fields: [
      'democratization',
      'elections',
      'human-rights',
      'conflict-prevention-and-resolution',
      'gender-equality',
      'youth',
      'migration',
    ],
    speaker: ['the President of the OSCE Parliamentary Assembly', 'the President'],
    short: 'the Assembly',
  },
  'court-of-conciliation-and-arbitration': {
    weight: 0.3,
    fields: ['conflict-prevention-and-resolution', 'rule-of-law'],
    speaker: ['the President of the OSCE Court of Conciliation and Arbitration', 'the President of the Court'],
    short: 'the Court',
  },
};

const merged = new Map<string, StructureProfile>();

/** A structure's profile: its own entry over its kind's defaults (computed once: it is asked per document). */
export function structureProfile(slug: string, kind: string): StructureProfile {
  const key = `${kind}/${slug}`;
  let profile = merged.get(key);
  if (!profile) {
    profile = Object.freeze({ ...(KIND_DEFAULTS[kind] ?? { weight: 1 }), ...PROFILES[slug] });
    merged.set(key, profile);
  }
  return profile;
}

/** Where a meeting series meets: a city, the chairing State's capital, or a Partner's capital. */
export type MeetingPlace = string | 'chair' | 'mediterranean' | 'asian' | 'host';

export interface MeetingProfile {
  /** Structures (slugs) that issue its documents, the first most often. */
  sources: readonly string[];
  fields: readonly string[];
  place: MeetingPlace;
  /** 0-11: the month it meets in (none: any month). */
  month?: number;
  /** The only years it met in (none: every year). */
  years?: readonly number[];
  /** A standing body that meets all year (the Permanent Council), not a yearly conference. */
  regular?: boolean;
  /** What that year's meeting is called; `region` is the host's region ("Central Asia"). */
  name(year: number, random: () => number, region: string): string;
}

const ordinal = (n: number) => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

const FORUM_PARTS = ['First preparatory meeting', 'Second preparatory meeting', 'Concluding meeting'];

export const MEETING_PROFILES: Readonly<Record<string, MeetingProfile>> = {
  'summit-meetings': {
    sources: ['chairpersonship', 'secretariat'],
    fields: ['conflict-prevention-and-resolution', 'reform-and-co-operation-in-the-security-sector'],
    place: 'Astana',
    month: 11,
    years: [2010],
    name: () => 'OSCE Summit in Astana',
  },
  'review-conferences': {
    sources: ['chairpersonship', 'office-for-democratic-institutions-and-human-rights', 'secretariat'],
    fields: ['human-rights', 'economic-activities', 'arms-control'],
    place: 'Vienna',
    month: 9,
    years: [2010],
    name: () => '2010 OSCE Review Conference',
  },
  'ministerial-council-meetings': {
    sources: ['chairpersonship', 'secretariat', 'secretary-general'],
    fields: ['conflict-prevention-and-resolution', 'countering-terrorism', 'gender-equality', 'youth'],
    place: 'chair',
    month: 11,
    name: (year) => `${ordinal(year - 1992)} OSCE Ministerial Council`,
  },
  'plenary-meetings-of-the-permanent-council': {
    regular: true,
    sources: ['chairpersonship', 'secretariat', 'host'],
    fields: [],
    place: 'Vienna',
    name: () => 'Permanent Council',
  },
  'plenary-meetings-of-the-forum-for-security-co-operation': {
    regular: true,
    sources: ['conflict-prevention-centre', 'chairpersonship', 'secretariat'],
    fields: ['arms-control', 'reform-and-co-operation-in-the-security-sector', 'conflict-prevention-and-resolution'],
    place: 'Vienna',
    name: () => 'Forum for Security Co-operation',
  },
  'security-review-conferences': {
    sources: ['chairpersonship', 'conflict-prevention-centre', 'transnational-threats-department'],
    fields: ['conflict-prevention-and-resolution', 'countering-terrorism', 'arms-control', 'border-management'],
    place: 'Vienna',
    month: 5,
    name: (year) => `${year} Annual Security Review Conference`,
  },
  'annual-implementation-assessment-meetings': {
    sources: ['conflict-prevention-centre'],
    fields: ['arms-control'],
    place: 'Vienna',
    month: 2,
    name: (year) => `${year} Annual Implementation Assessment Meeting`,
  },
  'economic-and-environmental-forum': {
    sources: ['office-of-the-co-ordinator-of-osce-economic-and-environmental-activities', 'chairpersonship'],
    fields: ['economic-activities', 'environmental-activities', 'good-governance', 'migration'],
    place: 'Prague',
    name: (year, random) =>
      `${FORUM_PARTS[Math.floor(random() * FORUM_PARTS.length)]} of the ${ordinal(year - 1992)} OSCE Economic and Environmental Forum`,
  },
  'economic-and-environmental-dimension-implementation-meetings': {
    sources: ['office-of-the-co-ordinator-of-osce-economic-and-environmental-activities'],
    fields: ['economic-activities', 'environmental-activities', 'good-governance'],
    place: 'Vienna',
    month: 9,
    name: (year) => `${year} Economic and Environmental Dimension Implementation Meeting`,
  },
  'human-rights-meetings': {
    sources: ['office-for-democratic-institutions-and-human-rights', 'chairpersonship'],
    fields: ['human-rights', 'tolerance-and-non-discrimination', 'democratization', 'rule-of-law', 'roma-and-sinti'],
    place: 'Warsaw',
    month: 8,
    name: (year) => `${year} Human Dimension Implementation Meeting`,
  },
  'media-conferences': {
    sources: ['representative-on-freedom-of-the-media'],
    fields: ['media-freedom-and-development'],
    place: 'host',
    name: (year, _random, region) => `${year} ${region.replace(/^the /, '')} Media Conference`,
  },
  'cyber-ict-security-conferences': {
    sources: ['transnational-threats-department', 'chairpersonship'],
    fields: ['cyber-ict-security'],
    place: 'Vienna',
    name: (year) => `${year} OSCE-wide Conference on Cyber/ICT Security`,
  },
  'conference-of-the-alliance-against-trafficking-in-persons': {
    sources: ['office-of-the-special-representative-and-co-ordinator-for-combating-trafficking-in-human-beings'],
    fields: ['combating-trafficking-in-human-beings'],
    place: 'Vienna',
    name: (year) => `${ordinal(year - 2000)} Alliance against Trafficking in Persons conference`,
  },
  'gender-equality-review-conferences': {
    sources: ['gender-issues-programme', 'secretariat'],
    fields: ['gender-equality'],
    place: 'Vienna',
    name: (year) => `${year} Gender Equality Review Conference`,
  },
  'annual-osce-mediterranean-conferences': {
    sources: ['chairpersonship', 'secretariat'],
    fields: ['migration', 'countering-terrorism', 'economic-activities', 'environmental-activities'],
    place: 'mediterranean',
    name: (year) => `${year} OSCE Mediterranean Conference`,
  },
  'annual-osce-asian-conferences': {
    sources: ['chairpersonship', 'secretariat'],
    fields: ['cyber-ict-security', 'economic-activities', 'countering-terrorism', 'conflict-prevention-and-resolution'],
    place: 'asian',
    name: (year) => `${year} OSCE Asian Conference`,
  },
  partnerships: {
    regular: true,
    sources: ['secretariat', 'chairpersonship'],
    fields: ['migration', 'economic-activities', 'countering-terrorism'],
    place: 'Vienna',
    name: () => 'Contact Group with the Partners for Co-operation',
  },
};

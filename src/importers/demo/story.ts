// One demo document's facts (who, where, when, on what) and the titles that can be written
// from them, by kind of story. A title template answers null when the facts do not fit it.
import type { RandomSource } from '../../text/random.ts';
import { capitalize, type Voice } from './names.ts';
import { MONTHS } from './vocabulary.ts';

export type DemoKind = 'press-release' | 'news' | 'statement' | 'event' | 'publication';

export type StoryType =
  | 'training'
  | 'meeting'
  | 'launch'
  | 'agreement'
  | 'handover'
  | 'visit'
  | 'series'
  | 'daily'
  | 'observance'
  | 'welcome'
  | 'call'
  | 'remarks'
  | 'event'
  | 'publication';

/** The choices a title and its body share; drawn again when a title is already taken. */
export interface Slots {
  topic: string;
  topic2: string;
  audience: string;
  audience2: string;
  activity: string;
  product: string;
  duration: string;
  count: string;
  counterpart: string;
  subtitle: string;
  equipment: string;
}

export interface Story {
  readonly kind: DemoKind;
  readonly type: StoryType;
  readonly random: RandomSource;
  /** The local date the dateline gives. */
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Where it happened; `place` adds the partners' seats ("Chisinau/Vienna"). */
  readonly city: string;
  readonly place: string;
  readonly lead: Voice;
  readonly partners: readonly Voice[];
  /** The year's Chairpersonship, when the taxonomy has one for the year. */
  readonly chair: (Voice & { inOffice: string }) | undefined;
  /** Fields of work in running text, the main one first. */
  readonly fields: readonly string[];
  /** The main country in running text ("the Russian Federation"), if any. */
  readonly country: string | undefined;
  /** A second country the text names, if tagged. */
  readonly country2: string | undefined;
  /** "Moldova", "Kosovo" or "the OSCE region". */
  readonly where: string;
  readonly region: string;
  readonly meeting: { name: string; regular: boolean } | undefined;
  readonly observance: string | undefined;
  /** The year the lead structure opened, when it is a field operation. */
  readonly opened: number | undefined;
  /** The host country's languages, for field operations. */
  readonly languages: string | undefined;
  /** Events: the local start time ("09:30") and the local end date ("14 March 2027"). */
  readonly startTime: string | undefined;
  readonly endDate: string | undefined;
  /** Drawn again for each try at a title. */
  slots: Slots;
}

/** A template answers a falsy value when the story's facts do not fit it. */
type Title = (s: Story) => string | false | null | undefined | 0;

const by = (s: Story) => s.lead.title;
const inCountry = (s: Story) => (s.country ? s.where : null);
const topic2 = (s: Story) => (s.slots.topic2 !== s.slots.topic ? s.slots.topic2 : null);
/** " in Montenegro", unless the lead's name says it already ("OSCE Mission to Montenegro"). */
const inWhere = (s: Story) => (s.lead.title.includes(s.where) ? '' : ` in ${s.where}`);
/** " in Astana", unless the lead's name says it already ("OSCE Programme Office in Astana"). */
const inCity = (s: Story) => (s.lead.title.includes(s.city) ? '' : ` in ${s.city}`);
/** "Ministry of Justice of Moldova", or just "Ministry of Justice" beside "OSCE Mission to Moldova". */
const counterpart = (s: Story) =>
  s.country && !s.lead.title.includes(s.country) ? `${s.slots.counterpart} of ${s.country}` : s.slots.counterpart;
const from = (s: Story) => (s.where === 'the OSCE region' ? 'across the OSCE region' : s.where);

const TITLES: Readonly<Record<StoryType, readonly Title[]>> = {
  training: [
    (s) => `${s.slots.count} ${s.slots.audience} from ${from(s)} trained in ${s.slots.topic}`,
    (s) => inCountry(s) && `${by(s)} trains ${s.slots.audience}${inWhere(s)} on ${s.slots.topic}`,
    (s) => `${capitalize(s.slots.audience)} in ${s.city} complete ${s.slots.duration} course on ${s.slots.topic}`,
    (s) =>
      `${s.slots.count} ${s.slots.audience} complete OSCE-supported ${s.slots.activity} on ${s.slots.topic} in ${s.city}`,
    (s) => `${by(s)} course for ${s.slots.audience} focuses on ${s.slots.topic}`,
  ],
  meeting: [
    (s) => `${by(s)} ${s.slots.activity} in ${s.city} discusses ${s.slots.topic}`,
    (s) => `OSCE-supported ${s.slots.activity} in ${s.city} focuses on ${s.slots.topic}`,
    (s) => inCountry(s) && `${capitalize(s.slots.topic)} in ${s.where} discussed at ${s.slots.activity} in ${s.city}`,
    (s) => topic2(s) && `${by(s)} hosts ${s.slots.activity} on ${s.slots.topic} and ${s.slots.topic2}`,
    (s) => `Experts from ${s.region} meet in ${s.city} to discuss ${s.slots.topic}`,
    (s) =>
      `${capitalize(s.slots.audience)} and ${s.slots.audience2} discuss ${s.slots.topic} at ${s.slots.activity} in ${s.city}`,
  ],
  launch: [
    (s) => `New ${s.slots.product} on ${s.slots.topic} presented in ${s.city}`,
    (s) => `${by(s)} launches ${s.slots.product} on ${s.slots.topic} for ${s.slots.audience}`,
    (s) => inCountry(s) && `${by(s)} and ${counterpart(s)} present ${s.slots.product} on ${s.slots.topic}`,
    (s) => s.languages && `${capitalize(s.slots.product)} on ${s.slots.topic} now available in ${s.languages}`,
  ],
  agreement: [
    (s) => `${by(s)} and ${counterpart(s)} sign memorandum of understanding on ${s.slots.topic}`,
    (s) => `${by(s)} to support ${counterpart(s)} in ${s.slots.topic} under new agreement`,
    (s) => s.country && `${capitalize(s.country)} and ${by(s)} agree on joint work on ${s.slots.topic}`,
  ],
  handover: [
    (s) => `${by(s)} hands over ${s.slots.equipment} to ${counterpart(s)}`,
    (s) => `${by(s)} donates ${s.slots.equipment} to support ${s.slots.topic}${inWhere(s)}`,
    (s) => `${capitalize(s.slots.equipment)} handed over in ${s.city} to strengthen ${s.slots.topic}`,
  ],
  visit: [
    (s) => `${by(s)} visits ${s.country}, discusses ${s.slots.topic} with authorities`,
    (s) => `${s.lead.speakerTitle} concludes visit to ${s.country}`,
    (s) => `${by(s)} in ${s.country}: focus on ${s.slots.topic}`,
    (s) => `${s.lead.speakerTitle} meets ${s.slots.audience} in ${s.city} to discuss ${s.slots.topic}`,
  ],
  series: [
    (s) => s.meeting && !s.meeting.regular && `${s.meeting.name} opens in ${s.city}`,
    (s) => s.meeting && !s.meeting.regular && `${s.meeting.name} concludes in ${s.city} with focus on ${s.slots.topic}`,
    (s) => s.meeting && `${by(s)} addresses the ${s.meeting.name} on ${s.slots.topic}`,
    (s) => s.meeting && `${capitalize(s.slots.topic)} at the centre of the ${s.meeting.name}`,
    (s) => s.meeting?.regular && `${s.lead.speakerTitle} reports to the ${s.meeting.name}`,
    (s) => s.meeting?.regular && `${s.meeting.name} discusses ${s.slots.topic} in ${s.where}`,
  ],
  daily: [
    (s) =>
      `Latest from the OSCE Special Monitoring Mission to Ukraine (SMM), based on information received as of ${s.random.pick(['18:00', '19:30'])}, ${s.day} ${monthName(s)} ${s.year}`,
  ],
  observance: [
    (s) => `Statement by the ${s.lead.speakerTitle} on ${s.observance} ${s.year}`,
    (s) => `${s.observance}: ${by(s)} calls for progress on ${s.slots.topic}`,
    (s) => `${by(s)} marks ${s.observance} with call to invest in ${s.slots.topic}`,
  ],
  welcome: [
    (s) => inCountry(s) && `${by(s)} welcomes progress on ${s.slots.topic}${inWhere(s)}`,
    (s) => inCountry(s) && `${by(s)} welcomes adoption of new legislation on ${s.slots.topic}${inWhere(s)}`,
    (s) => s.partners.length > 0 && `Joint statement by ${s.lead.text} and ${s.partners[0]?.text} on ${s.slots.topic}`,
  ],
  call: [
    (s) => `${by(s)} calls on participating States to step up work on ${s.slots.topic}`,
    (s) => `${by(s)} urges greater attention to ${s.slots.topic} in ${s.region}`,
    (s) => `Statement by the ${s.lead.speakerTitle} on ${s.slots.topic}`,
    (s) => s.partners.length > 0 && `Joint statement by ${s.lead.text} and ${s.partners[0]?.text} on ${s.slots.topic}`,
  ],
  remarks: [
    (s) => `Remarks by the ${s.lead.speakerTitle} at the ${s.slots.activity} on ${s.slots.topic}${inCity(s)}`,
    (s) => s.meeting && `Opening remarks by the ${s.lead.speakerTitle} at the ${s.meeting.name}`,
    (s) => `Address by the ${s.lead.speakerTitle} to ${s.slots.audience}${inCity(s)}`,
  ],
  event: [
    (s) => `${capitalize(s.slots.activity)} on ${s.slots.topic} for ${s.slots.audience} from ${from(s)}`,
    (s) => `Regional ${s.slots.activity} on ${s.slots.topic} in ${s.city}`,
    (s) => `${by(s)} ${s.slots.activity} on ${s.slots.topic}`,
    (s) => `${capitalize(s.slots.activity)}: ${s.slots.topic} in ${s.region}`,
    (s) => topic2(s) && `${capitalize(s.slots.activity)} on ${s.slots.topic} and ${s.slots.topic2}`,
    (s) => s.meeting && !s.meeting.regular && `${s.meeting.name}`,
    (s) => s.meeting && `${s.meeting.name}: session on ${s.slots.topic}`,
    (s) => s.meeting && `Side event at the ${s.meeting.name} on ${s.slots.topic}`,
  ],
  publication: [
    (s) => `${capitalize(s.slots.product)} on ${s.slots.topic}: ${s.slots.subtitle}`,
    (s) => inCountry(s) && `${capitalize(s.slots.topic)} in ${s.where}: ${s.slots.subtitle}`,
    (s) => `${capitalize(s.slots.product)} on ${s.slots.topic} for ${s.slots.audience} in ${s.region}`,
    (s) => inCountry(s) && `Assessment of ${s.slots.topic} in ${s.where}`,
    (s) => `${capitalize(s.slots.product)} on ${s.slots.topic} and ${s.slots.topic2}`,
  ],
};

const monthName = (s: Story) => MONTHS[s.month];

const FUNCTION_WORDS = new Set(['the', 'of', 'on', 'in', 'and', 'for', 'to', 'at', 'a', 'with', 'from', 'by']);

/**
 * Whether a title says the same thing twice: two words ("border management and border
 * management"), or one word of five letters or more ("Youth Day … youth councils").
 * @example repeatsPhrase('Round table on policing and police reform') // false
 */
export function repeatsPhrase(title: string): boolean {
  const words = title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i += 1) {
    const first = words[i] as string;
    if (first.length >= 5) {
      if (seen.has(first)) return true;
      seen.add(first);
    }
    const second = words[i + 1];
    if (second === undefined || (FUNCTION_WORDS.has(first) && FUNCTION_WORDS.has(second))) continue;
    const pair = `${first} ${second}`;
    if (seen.has(pair)) return true;
    seen.add(pair);
  }
  return false;
}

/** A title from one of the story's templates, or null when the drawn one does not fit. */
export function drawTitle(story: Story): string | null {
  const title = story.random.pick(TITLES[story.type])(story);
  return title ? capitalize(title) : null;
}

// The body and summary of a demo document: a dateline and a lead written for the kind of story,
// then a varying number of paragraphs drawn from pools (who took part, the programme behind it,
// quotes attributed to offices, practical details), so that no two bodies share one template.
import { capitalize, datelineOf, possessive } from './names.ts';
import type { Story } from './story.ts';
import { GENERAL_AUDIENCES } from './vocabulary.ts';

type Paragraph = (s: Story) => string | false | null | undefined | 0;

const an = (word: string) => (/^[aeiou]/i.test(word) && !/^one/i.test(word) ? `an ${word}` : `a ${word}`);
/** Everyone who issued it: "the OSCE Mission to Moldova and ODIHR". */
const issuers = (s: Story): string => {
  const names = [s.lead.text, ...s.partners.map((p) => p.text)];
  const last = names.pop() as string;
  return names.length === 0 ? last : `${names.join(', ')} and ${last}`;
};
/** The speaker as the subject of a sentence: an apposition ("…, the Foreign Minister of Spain,") is closed. */
const subject = (speaker: string) => (speaker.includes(',') ? `${speaker},` : speaker);
const ofCountry = (s: Story) => (s.country ? ` of ${s.country}` : '');
const from = (s: Story) => (s.where === 'the OSCE region' ? 'across the OSCE region' : s.where);
const lower = (count: string) => count.toLowerCase();
/** Whom the OSCE works with there: "Moldova", or "the participating States". */
const partnersIn = (s: Story) => (s.where === 'the OSCE region' ? 'the participating States' : s.where);
/** A meeting's name and where it is, unless the name says it ("OSCE Summit in Astana"). */
const meetingIn = (s: Story, name: string) => (name.includes(s.city) ? name : `${name} in ${s.city}`);
/** Whether the year's Chairpersonship supports it from outside (it is not among the issuers). */
const chairSupports = (s: Story) =>
  s.chair !== undefined && ![s.lead, ...s.partners].some((voice) => voice.node.kind === 'chairpersonship');
const topic2 = (s: Story) => (s.slots.topic2 !== s.slots.topic ? s.slots.topic2 : 'the exchange of good practices');
const field2 = (s: Story) => s.fields[1];

const LEADS: Readonly<Record<Story['type'], readonly Paragraph[]>> = {
  training: [
    (s) =>
      `${s.slots.count} ${s.slots.audience} from ${from(s)} completed ${an(s.slots.duration)} ${s.slots.activity} on ${s.slots.topic} in ${s.city} today, organized by ${issuers(s)}.`,
    (s) =>
      `${capitalize(issuers(s))} concluded ${an(s.slots.duration)} ${s.slots.activity} on ${s.slots.topic} for ${s.slots.audience} from ${from(s)} in ${s.city} this week.`,
    (s) =>
      `How to put ${s.slots.topic} into practice was the subject of ${an(s.slots.duration)} ${s.slots.activity} for ${lower(s.slots.count)} ${s.slots.audience} that ended in ${s.city} today. It was organized by ${issuers(s)} with the ${s.slots.counterpart}${ofCountry(s)}.`,
  ],
  meeting: [
    (s) =>
      `The state of ${s.slots.topic} in ${s.where} was the focus of ${an(s.slots.activity)} organized by ${issuers(s)}${s.lead.node.seat === s.city ? '' : ` in ${s.city}`} today.`,
    (s) =>
      `More than ${s.random.pick(['30', '40', '60', '80', '100'])} ${s.slots.audience} and ${s.slots.audience2} took part in ${an(s.slots.activity)} on ${s.slots.topic} held in ${s.city} today by ${issuers(s)}.`,
    (s) =>
      `${capitalize(issuers(s))} brought together ${s.slots.audience}, ${s.slots.audience2} and ${s.random.pick(GENERAL_AUDIENCES.filter((a) => a !== s.slots.audience && a !== s.slots.audience2))} in ${s.city} today for ${an(s.slots.activity)} on ${s.slots.topic}.`,
  ],
  launch: [
    (s) =>
      `A new ${s.slots.product} on ${s.slots.topic}, developed by ${issuers(s)} with the ${s.slots.counterpart}${ofCountry(s)}, was presented in ${s.city} today.`,
    (s) =>
      `${capitalize(issuers(s))} today launched ${an(s.slots.product)} to help ${s.slots.audience} in ${s.where} apply international standards on ${s.slots.topic}.`,
  ],
  agreement: [
    (s) =>
      `${capitalize(issuers(s))} and the ${s.slots.counterpart} of ${s.country} today signed a memorandum of understanding on co-operation in ${s.fields[0]}.`,
    (s) =>
      `A memorandum of understanding signed in ${s.city} today by ${issuers(s)} and the ${s.slots.counterpart} of ${s.country} sets out joint work on ${s.slots.topic} over the next ${s.random.pick(['two', 'three'])} years.`,
  ],
  handover: [
    (s) =>
      `${capitalize(issuers(s))} today handed over ${s.slots.equipment} worth ${s.random.pick(['15,000', '40,000', '65,000', '120,000'])} euros to the ${s.slots.counterpart} of ${s.country} to support ${s.slots.topic}.`,
    (s) =>
      `The ${s.slots.counterpart} of ${s.country} received ${s.slots.equipment} from ${issuers(s)} at a ceremony in ${s.city} today.`,
  ],
  visit: [
    (s) =>
      `${capitalize(subject(s.lead.speaker))} concluded a ${s.random.pick(['two', 'three', 'four'])}-day visit to ${s.country} today, with meetings on ${s.slots.topic} with the ${s.slots.counterpart} and representatives of civil society.`,
    (s) =>
      `During a visit to ${s.city} today, ${subject(s.lead.speaker)} discussed ${s.slots.topic} with the ${s.slots.counterpart} of ${s.country}.`,
  ],
  series: [
    (s) =>
      s.meeting && !s.meeting.regular
        ? `The ${meetingIn(s, s.meeting.name)} opened today, bringing together representatives of the participating States, the Partners for Co-operation and civil society to discuss ${s.slots.topic}.`
        : `${capitalize(subject(s.lead.speaker))} presented ${possessive(s.lead.short)} work on ${s.slots.topic} to the ${meetingIn(s, s.meeting?.name ?? '')} today.`,
    (s) =>
      `${capitalize(subject(s.lead.speaker))} addressed the ${meetingIn(s, s.meeting?.name ?? '')} today, highlighting ${s.slots.topic}${field2(s) ? ` and ${field2(s)}` : ''}.`,
  ],
  daily: [() => 'This report is for the media and the general public.'],
  observance: [
    (s) =>
      `On ${s.observance}, ${subject(s.lead.speaker)} called on all participating States to ${s.random.pick(['renew their commitment to', 'step up their work on', 'invest more in'])} ${s.slots.topic}.`,
  ],
  welcome: [
    (s) =>
      s.partners.length > 0
        ? `${capitalize(issuers(s))} today issued the following joint statement on ${s.slots.topic}.`
        : `${capitalize(subject(s.lead.speaker))} today welcomed the adoption by the parliament of ${s.country} of amendments on ${s.slots.topic}, calling them an important step towards meeting OSCE commitments on ${s.fields[0]}.`,
  ],
  call: [
    (s) =>
      s.partners.length > 0
        ? `${capitalize(issuers(s))} today issued the following joint statement on ${s.slots.topic}.`
        : `${capitalize(subject(s.lead.speaker))} today called on participating States to step up their work on ${s.slots.topic}, ${s.random.pick(['noting that progress across the OSCE region remains uneven', `in a statement issued in ${s.city}`, `ahead of discussions in the Permanent Council`])}.`,
  ],
  remarks: [
    (s) =>
      `${capitalize(subject(s.lead.speaker))} delivered the following remarks at the ${meetingIn(s, s.meeting ? s.meeting.name : `${s.slots.activity} on ${s.slots.topic}`)} today.`,
  ],
  event: [
    (s) =>
      `${capitalize(an(s.slots.duration))} ${s.slots.activity} on ${s.slots.topic}, organized by ${issuers(s)}, opens in ${s.city} today.`,
    (s) =>
      `${capitalize(issuers(s))} ${s.partners.length > 0 ? 'bring' : 'brings'} together ${s.slots.audience} and ${s.slots.audience2} from ${from(s)} in ${s.city} for ${an(s.slots.duration)} ${s.slots.activity} on ${s.slots.topic}.`,
    (s) =>
      s.meeting
        ? `The ${meetingIn(s, s.meeting.name)} opens today${s.endDate ? ` and runs until ${s.endDate}` : ''}, with a session on ${s.slots.topic}.`
        : `${s.slots.count} ${s.slots.audience} from ${from(s)} meet in ${s.city} today for ${an(s.slots.activity)} on ${s.slots.topic} organized by ${issuers(s)}.`,
  ],
  publication: [
    (s) =>
      `${capitalize(issuers(s))} today published ${an(s.slots.product)} on ${s.slots.topic}, intended for ${s.slots.audience} in ${s.where}.`,
    (s) =>
      `A ${s.slots.product} on ${s.slots.topic} published today by ${issuers(s)} draws on research carried out in ${s.where} in ${s.year - 1}.`,
  ],
};

const QUOTES: readonly Paragraph[] = [
  (s) => `Progress in ${s.fields[0]} depends on the people who apply the law every day.`,
  () => "Today's discussion showed what can be achieved when institutions and civil society work together.",
  (s) =>
    `We will continue to support ${partnersIn(s)} in this work, in line with the commitments all participating States have made.`,
  (s) =>
    `${capitalize(s.slots.topic)} is not an abstract goal: it is measured in the trust people place in their institutions.`,
  (s) => `Our commitments on ${s.fields[0]} were agreed by all participating States, and they apply to all of them.`,
  () => 'The recommendations made here will guide our work in the months ahead.',
  () => 'No single institution can do this alone.',
  () => 'This is a long-term effort, and the results we see today are the work of many years.',
  () => 'I am encouraged by the openness of the discussions and by the concrete proposals put forward.',
  () => 'The participants leave with practical tools they can use from tomorrow.',
  (s) => `Every participating State has something to learn from its neighbours on ${s.slots.topic}.`,
  () => 'What matters now is implementation.',
];

const INDIRECT: readonly Paragraph[] = [
  (s) => `${s.slots.topic} would remain a priority for ${s.lead.short}`,
  (s) => `the ${s.slots.audience} who took part would pass on what they had learned to their colleagues`,
  (s) => `co-operation with ${partnersIn(s)} on ${s.fields[0]} would continue`,
];

/** Two different sentences of a quote, without their final full stops. */
function quoteTexts(s: Story): [string, string] {
  const at = Math.floor(s.random.next() * QUOTES.length);
  const next = (at + 1 + Math.floor(s.random.next() * (QUOTES.length - 1))) % QUOTES.length;
  const text = (index: number) => ((QUOTES[index] as Paragraph)(s) || '').replace(/\.$/, '');
  return [text(at), text(next)];
}

/** One quote, attributed to an office (never to a named person). */
function quote(s: Story, speaker: string): string {
  const [first, second] = quoteTexts(s);
  switch (Math.floor(s.random.next() * 4)) {
    case 0:
      return `"${first}. ${second}," said ${speaker}.`;
    case 1:
      return `"${first}," ${subject(speaker)} said. "${second}."`;
    case 2:
      return `"${first}," said ${speaker}, adding that ${s.random.pick(INDIRECT)(s)}.`;
    default:
      return `${capitalize(subject(speaker))} stressed that ${s.random.pick(INDIRECT)(s)}. "${first}."`;
  }
}

/** What the story was: "The workshop", "The handbook", "The visit". */
const GATHERINGS = new Set<Story['type']>(['training', 'meeting']);
function thing(s: Story): string | undefined {
  if (s.type === 'series') return undefined;
  if (GATHERINGS.has(s.type)) return `The ${s.slots.activity}`;
  if (s.type === 'launch') return `The ${s.slots.product}`;
  if (s.type === 'agreement') return 'The memorandum';
  if (s.type === 'handover') return 'The donation';
  if (s.type === 'visit') return 'The visit';
  return 'The activity';
}
/** The languages something is available in: "English, Kazakh and Russian". */
const inEnglishAnd = (languages: string | undefined) =>
  !languages ? 'English' : languages.includes(' and ') ? `English, ${languages}` : `English and ${languages}`;

/** Paragraphs that fit any past story. */
const PAST: readonly Paragraph[] = [
  (s) =>
    thing(s) &&
    `${thing(s)} is part of ${possessive(s.lead.short)} long-term support to ${partnersIn(s)} in ${s.fields[0]}.`,
  (s) =>
    s.opened &&
    `${capitalize(s.lead.short)} has worked with institutions in ${s.where} on ${s.fields[0]} since ${s.opened}.`,
  (s) =>
    chairSupports(s) &&
    `It was supported by ${s.chair?.text}, which has placed ${s.fields[0]} high on its agenda for ${s.year}.`,
  (s) =>
    s.opened &&
    `Since ${Math.max(s.opened, s.year - 10)}, ${s.lead.short} has supported training for more than ${s.random.pick(['300', '500', '1,200', '2,000'])} ${s.slots.audience} in ${s.where}.`,
  (s) =>
    field2(s) &&
    `${possessive(capitalize(s.lead.short))} work on ${s.slots.topic} is closely linked to ${field2(s)}, an area in which it co-operates with ${s.partners[0]?.text ?? 'other OSCE structures'}.`,
];

/** Paragraphs about an event that took place: who came, what they discussed. */
const GATHERED: readonly Paragraph[] = [
  (s) =>
    `Participants included representatives of the ${s.slots.counterpart}${ofCountry(s)}, ${s.slots.audience2} and civil society organizations.`,
  (s) =>
    `Discussions focused on ${topic2(s)}, on the role of ${s.slots.audience} and on how OSCE commitments on ${s.fields[0]} can be applied in practice.`,
  (s) =>
    `The ${s.slots.activity} was organized within the project "${capitalize(s.slots.topic)} in ${s.where}", funded by ${donors(s)}.`,
  (s) => field2(s) && `Participants also looked at links with ${field2(s)}.`,
  () => 'A follow-up meeting is planned for later in the year to review how the recommendations have been implemented.',
  (s) =>
    s.opened &&
    `Since ${Math.max(s.opened, s.year - 10)}, ${s.lead.short} has supported training for more than ${s.random.pick(['300', '500', '1,200', '2,000'])} ${s.slots.audience} in ${s.where}.`,
  () => 'The recommendations will be presented to the Permanent Council and shared with all participating States.',
  (s) => s.languages && `Sessions were held in ${s.languages}, with interpretation into English.`,
  () => 'Almost half of the participants were women.',
];

const STATEMENT: readonly Paragraph[] = [
  (s) => `${capitalize(s.lead.short)} stands ready to continue assisting ${partnersIn(s)} in ${s.fields[0]}.`,
  (s) =>
    `${capitalize(s.lead.short)} recalled the commitments on ${s.fields[0]} that all participating States have undertaken.`,
  (s) => `${capitalize(s.lead.short)} will continue to follow developments in ${s.region} closely.`,
];

const REMARKS: readonly Paragraph[] = [
  (s) =>
    s.country && s.city !== s.lead.node.seat
      ? `I am grateful to the ${s.slots.counterpart} of ${s.country} for hosting this ${s.slots.activity}, and to ${donors(s)} for making it possible.`
      : `I am grateful to ${donors(s)} for making this ${s.slots.activity} possible.`,
  (s) =>
    `We all have a stake in ${s.slots.topic}. The commitments we have made on ${s.fields[0]} are not only obligations; they are tools for building security that lasts.`,
  (s) =>
    `Over the past years, ${s.lead.short} has worked with ${s.slots.audience} across ${s.region}. We have seen what works: practical co-operation, patience and a genuine exchange of experience.`,
];

const EVENT: readonly Paragraph[] = [
  (s) =>
    `The programme includes sessions on ${topic2(s)}, on good practices from across ${s.region} and on ${s.fields[0]} in ${s.where}.`,
  (s) =>
    `Participants will review ${s.slots.topic} in ${s.where} and agree on recommendations for the ${s.slots.counterpart}${ofCountry(s)}.`,
  (s) => `Speakers include ${s.lead.speaker} and representatives of ${s.slots.audience2} and civil society.`,
  (s) => `The opening session starts at ${s.startTime} local time; media representatives are welcome to attend.`,
  (s) => `Working languages are ${inEnglishAnd(s.languages ?? 'Russian')}, with simultaneous interpretation.`,
  (s) => s.endDate && !s.meeting && `The ${s.slots.activity} runs until ${s.endDate}.`,
  (s) => chairSupports(s) && `The event is held with the support of ${s.chair?.text}.`,
  () => 'Participation is by invitation; registration is required.',
];

const PUBLICATION: readonly Paragraph[] = [
  (s) =>
    `The ${s.slots.product} is structured in ${s.random.pick(['four', 'five', 'six', 'seven'])} chapters, covering ${topic2(s)}, the role of ${s.slots.audience} and the relevant OSCE commitments on ${s.fields[0]}.`,
  (s) =>
    `It was prepared by ${s.lead.short} with contributions from ${s.slots.audience2} and independent experts${s.country2 ? ` from ${s.country2}` : ''}.`,
  (s) => `The ${s.slots.product} is available in ${inEnglishAnd(s.languages)}.`,
  (s) =>
    `Its recommendations are addressed to the ${s.slots.counterpart}${ofCountry(s)} and to parliamentarians, civil society and international partners.`,
  (s) => `The publication was funded by ${donors(s)}.`,
  (s) => chairSupports(s) && `It was launched with the support of ${s.chair?.text}.`,
];

const DAILY: readonly Paragraph[] = [
  (s) =>
    `The SMM monitored the situation in ${s.random.pick(['the Donetsk region', 'the Luhansk region', 'Kharkiv', 'Kherson', 'Odesa', 'Dnipro'])} and met representatives of local authorities and residents.`,
  (s) =>
    `The Mission continued to facilitate repairs to civilian infrastructure, including ${s.random.pick(['a power line', 'a pumping station', 'a gas pipeline', 'a bridge'])} near ${s.random.pick(['Avdiivka', 'Shchastia', 'Popasna', 'Mariupol', 'Stanytsia Luhanska'])}.`,
  (s) =>
    `Its monitors in ${s.random.pick(['Lviv', 'Chernivtsi', 'Ivano-Frankivsk', 'Kyiv', 'Odesa'])} observed ${s.random.pick(['a peaceful gathering', 'a commemorative event', 'a public meeting'])} and reported no incidents.`,
  () => 'The SMM continued to follow up on reports of restrictions to its freedom of movement.',
];

/** Donors, from the participating States: "Germany and Norway". */
function donors(s: Story): string {
  const list = s.random.pickSome(DONORS, 1, 2);
  return list.join(' and ');
}
const DONORS = [
  'Austria',
  'Finland',
  'Germany',
  'Italy',
  'Norway',
  'Sweden',
  'Switzerland',
  'the United Kingdom',
  'the United States of America',
  'Japan',
];

/** Paragraphs from a pool, in random order, none twice, skipping those the facts do not fit. */
function draw(s: Story, pool: readonly Paragraph[], count: number): string[] {
  const order = s.random.pickSome(pool, pool.length, pool.length);
  const out: string[] = [];
  for (const paragraph of order) {
    if (out.length >= count) break;
    const text = paragraph(s);
    if (text) out.push(text);
  }
  return out;
}

const COUNTS = [1, 1, 2, 2, 3, 3, 4, 5];

/** The paragraphs of a body, the first opening with the dateline. */
export function composeBody(s: Story): string[] {
  const lead = `${datelineOf(s.place, s.year, s.month, s.day)}${s.random.pick(LEADS[s.type])(s)}`;
  const speakers = [s.lead, ...s.partners];
  // A speaker is introduced once; after that, the short title ("the Head of Mission").
  const introduced = new Set(speakers.filter((voice) => lead.includes(voice.speaker)));
  const quoted = () => {
    const voice = s.random.pick(speakers);
    if (s.country && s.random.next() < 0.2)
      return quote(s, `a representative of the ${s.slots.counterpart} of ${s.country}`);
    const speaker = introduced.has(voice) ? voice.speakerShort : voice.speaker;
    introduced.add(voice);
    return quote(s, speaker);
  };
  let rest: string[];
  switch (s.type) {
    case 'daily':
      rest = draw(s, DAILY, 2 + Math.floor(s.random.next() * 3));
      break;
    case 'observance':
    case 'welcome':
    case 'call':
      // The lead named the speaker, unless it named the co-issuers instead.
      rest = [quoted(), ...draw(s, STATEMENT, Math.floor(s.random.next() * 3))];
      break;
    case 'remarks':
      rest = [
        'Excellencies, ladies and gentlemen,',
        ...draw(s, REMARKS, 1 + Math.floor(s.random.next() * 3)),
        'Let me close by thanking all of you for your engagement. I wish you fruitful discussions.',
      ];
      break;
    case 'event':
      rest = draw(s, EVENT, 1 + Math.floor(s.random.next() * 4));
      break;
    case 'publication':
      rest = draw(s, PUBLICATION, 1 + Math.floor(s.random.next() * 4));
      if (s.random.next() < 0.4) rest.splice(1, 0, quoted());
      break;
    default: {
      rest = draw(s, GATHERINGS.has(s.type) ? [...GATHERED, ...PAST] : PAST, s.random.pick(COUNTS));
      if (s.random.next() < 0.75) rest.splice(Math.floor(s.random.next() * (rest.length + 1)), 0, quoted());
      if (s.random.next() < 0.15) rest.push(quoted());
    }
  }
  // A second country the document is tagged with is one the text names.
  if (s.country2 && !rest.some((paragraph) => paragraph.includes(s.country2 as string)))
    rest.push(
      s.kind === 'event'
        ? `Experts from ${s.country2} are among the speakers.`
        : s.kind === 'publication'
          ? `Experts from ${s.country2} contributed to the ${s.slots.product}.`
          : `Experts from ${s.country2} shared their experience of ${s.slots.topic}.`,
    );
  // Every issuer is named: when the story did not, a closing line does.
  const body = [lead, ...rest];
  const named = (voice: Story['lead']) => {
    // The Chairpersonship is named as such (its Chairperson-in-Office speaks for it, but is not it).
    const names = (voice.node.kind === 'chairpersonship' ? [voice.text] : [voice.text, voice.speaker]).map((name) =>
      name.replace(/^(the|a) /, ''),
    );
    return body.some((paragraph) => names.some((name) => paragraph.includes(name)));
  };
  if (!named(s.lead) || !s.partners.every(named))
    body.push(
      `${s.kind === 'event' ? 'Organized' : 'Issued'} ${s.partners.length > 0 ? 'jointly ' : ''}by ${issuers(s)}.`,
    );
  return body;
}

const SUMMARIES: Readonly<Record<Story['type'], readonly Paragraph[]>> = {
  training: [
    (s) =>
      `${capitalize(issuers(s))} trained ${lower(s.slots.count)} ${s.slots.audience} from ${from(s)} in ${s.slots.topic}.`,
    (s) =>
      `${capitalize(an(s.slots.duration))} ${s.slots.activity} in ${s.city} helped ${s.slots.audience} put ${s.slots.topic} into practice.`,
  ],
  meeting: [
    (s) => `${capitalize(s.slots.audience)} and ${s.slots.audience2} discussed ${s.slots.topic} in ${s.city}.`,
    (s) => `${capitalize(an(s.slots.activity))} organized by ${issuers(s)} looked at ${s.slots.topic} in ${s.where}.`,
  ],
  launch: [
    (s) =>
      `The ${s.slots.product} helps ${s.slots.audience} in ${s.where} apply international standards on ${s.slots.topic}.`,
  ],
  agreement: [
    (s) => `The memorandum sets out co-operation on ${s.slots.topic} with the ${s.slots.counterpart} of ${s.country}.`,
  ],
  handover: [(s) => `The ${s.slots.equipment} will support ${s.slots.topic} in ${s.where}.`],
  visit: [
    (s) => `${s.lead.speakerTitle} discussed ${s.slots.topic} with the authorities and civil society in ${s.country}.`,
  ],
  series: [(s) => `${capitalize(issuers(s))} at the ${s.meeting?.name}: ${s.slots.topic}.`],
  daily: [() => 'The SMM daily report on the situation across Ukraine.'],
  observance: [(s) => `On ${s.observance}, the ${s.lead.speakerTitle} called for progress on ${s.slots.topic}.`],
  welcome: [(s) => `${capitalize(issuers(s))} on ${s.slots.topic} in ${s.where}.`],
  call: [(s) => `${capitalize(issuers(s))} on the need for further work on ${s.slots.topic}.`],
  remarks: [(s) => `Remarks on ${s.slots.topic}, delivered in ${s.city}.`],
  event: [
    (s) =>
      `${capitalize(s.slots.audience)} and ${s.slots.audience2} from ${from(s)} meet in ${s.city} to discuss ${s.slots.topic}.`,
    (s) => `${capitalize(an(s.slots.duration))} ${s.slots.activity} organized by ${issuers(s)}.`,
  ],
  publication: [
    (s) => `${capitalize(s.slots.subtitle)} on ${s.slots.topic}, for ${s.slots.audience}.`,
    (s) => `What ${s.slots.audience} in ${s.where} need to know about ${s.slots.topic}.`,
  ],
};

export function composeSummary(s: Story): string {
  return s.random.pick(SUMMARIES[s.type])(s) || '';
}

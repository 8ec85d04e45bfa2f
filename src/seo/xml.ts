// XML text escaping and W3C datetimes: the two things every sitemap entry needs.

const XML_SPECIAL = /[&<>"']/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 does not allow at all, even escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to drop.
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Escapes text for an XML element or attribute value (the sitemap protocol asks for entity-escaped URLs).
 * @example escapeXml('/search?a=1&b=2') // '/search?a=1&amp;b=2'
 */
export function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(XML_SPECIAL, (c) => XML_ENTITIES[c] as string);
}

/**
 * A stored ISO timestamp as a W3C datetime to the second, in UTC.
 * @example toW3cDatetime('2007-09-11T08:30:00.000Z') // '2007-09-11T08:30:00Z'
 */
export function toW3cDatetime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}

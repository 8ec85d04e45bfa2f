// Writes the few XML constructs the RSS and Atom feeds need, escaped, and well-formed whatever the input.
import { escapeUTF8 } from 'entities';

/** Characters XML 1.0 cannot carry at all, not even as references: most C0 controls, U+FFFE/U+FFFF, lone surrogates. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Removes what no XML 1.0 document may contain; a title pasted with a stray U+0001 would otherwise
 * make the whole feed unreadable.
 * @example stripNonXmlChars('a\u0001b') // 'ab'
 */
export function stripNonXmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

/**
 * Text safe in element content and in double- or single-quoted attributes.
 * @example escapeXml('<a href="x">&</a>') // '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'
 */
export function escapeXml(text: string): string {
  return escapeUTF8(stripNonXmlChars(text));
}

/** Attribute values; undefined and null leave the attribute out. */
export type XmlAttributes = Readonly<Record<string, string | null | undefined>>;

/** Markup that is already escaped, as built by `element`. */
export interface XmlMarkup {
  readonly xml: string;
}

function attributes(attrs: XmlAttributes): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== null)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
}

/**
 * One element: strings are escaped as text, nested elements are kept, null/undefined children are dropped,
 * and an element with no children closes itself.
 * @example element('link', { href: 'https://example.org/?a=1&b=2' }).xml // '<link href="https://example.org/?a=1&amp;b=2"/>'
 */
export function element(
  name: string,
  attrs: XmlAttributes = {},
  ...children: readonly (string | XmlMarkup | null | undefined | readonly (XmlMarkup | null | undefined)[])[]
): XmlMarkup {
  const parts = children
    .flat()
    .filter((child): child is string | XmlMarkup => child !== null && child !== undefined)
    .map((child) => (typeof child === 'string' ? escapeXml(child) : child.xml));
  const open = `${name}${attributes(attrs)}`;
  if (parts.length === 0) return { xml: `<${open}/>` };
  // A line per child element keeps feeds readable by people; text stays exactly as given.
  const nested = children.every((child) => typeof child !== 'string');
  return { xml: nested ? `<${open}>\n${parts.join('\n')}\n</${name}>` : `<${open}>${parts.join('')}</${name}>` };
}

/**
 * A complete document: the XML declaration, then the root element.
 * @example xmlDocument(element('feed')) // '<?xml version="1.0" encoding="utf-8"?>\n<feed/>\n'
 */
export function xmlDocument(root: XmlMarkup): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${root.xml}\n`;
}

// The XML writer on its own: escaping in text and attributes, and characters XML 1.0 cannot hold.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { tagUri } from './entries.ts';
import { element, escapeXml, stripNonXmlChars, xmlDocument } from './xml.ts';

const HOSTILE = '<script>alert(1)</script> ]]> ]]> & &amp; "double" \'single\'';

describe('the XML writer', () => {
  it('escapes markup in text and attributes, so hostile text stays text', () => {
    const xml = xmlDocument(element('root', { title: HOSTILE }, element('child', {}, HOSTILE)));
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain(']]>');
    const parsed = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: false }).parse(xml);
    expect(parsed.root['@_title']).toBe(HOSTILE);
    expect(parsed.root.child).toBe(HOSTILE);
  });

  it('drops characters XML 1.0 forbids and keeps tabs, newlines and astral characters', () => {
    const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
    expect(stripNonXmlChars(`a${controls}b\uFFFE\uFFFF\uD800c😀`)).toBe('a\t\n\rbc😀');
    expect(escapeXml('x\u0000\u0008y')).toBe('xy');
    expect(XMLValidator.validate(xmlDocument(element('t', { a: 'q\u0001' }, 'v\u0007')))).toBe(true);
  });

  it('leaves out absent attributes and children, and closes empty elements', () => {
    expect(element('link', { href: 'https://example.org/?a=1&b=2', rel: undefined, type: null }).xml).toBe(
      '<link href="https://example.org/?a=1&amp;b=2"/>',
    );
    expect(element('a', {}, null, element('b'), undefined, [element('c'), null]).xml).toBe('<a>\n<b/>\n<c/>\n</a>');
    expect(element('t', {}, '').xml).toBe('<t></t>');
  });
});

describe('tag URIs', () => {
  it('use the host name without port or scheme, and a fixed date', () => {
    expect(tagUri('https://www.example.org:8443', 'document:123')).toBe('tag:www.example.org,2026:document:123');
    expect(tagUri('http://localhost:3000', 'document:1')).toBe('tag:localhost,2026:document:1');
  });
});

// Makes the links inside a document's body absolute, since a feed reader shows it far from our site.
import sanitizeHtml from 'sanitize-html';

/** Attributes that hold a URL in sanitised bodies (see src/documents/sanitize.ts). */
const URL_ATTRIBUTES: Readonly<Record<string, string>> = { a: 'href', q: 'cite' };

function resolve(value: string, base: string): string {
  try {
    return new URL(value, base).href;
  } catch {
    // An address that cannot be resolved is left as the author wrote it rather than lost.
    return value;
  }
}

/**
 * Body HTML with every link resolved against the document's own URL, as a browser on its page would.
 * @example absoluteLinks('<p><a href="/about-us">About</a></p>', 'https://example.org/news/2026/01/x')
 * // '<p><a href="https://example.org/about-us">About</a></p>'
 */
export function absoluteLinks(bodyHtml: string, documentUrl: string): string {
  if (!/\b(?:href|cite)=/.test(bodyHtml)) return bodyHtml;
  const rewrite = (tagName: string, attribs: sanitizeHtml.Attributes) => {
    const name = URL_ATTRIBUTES[tagName];
    const value = name === undefined ? undefined : attribs[name];
    return {
      tagName,
      attribs:
        name !== undefined && value !== undefined ? { ...attribs, [name]: resolve(value, documentUrl) } : attribs,
    };
  };
  return sanitizeHtml(bodyHtml, {
    // Stored bodies were sanitised on the way in (src/documents/sanitize.ts); this pass only rewrites URLs,
    // so it lets everything through rather than keep a second allow-list that could drift from the first.
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    transformTags: Object.fromEntries(Object.keys(URL_ATTRIBUTES).map((tag) => [tag, rewrite])),
  });
}

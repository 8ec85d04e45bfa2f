// HTML escaping for text and attribute values: the one escaper every renderer uses.

const SPECIAL = /[&<>"']/;

/** @example escapeHtml('<b>"R&D"</b>') // '&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;' */
export function escapeHtml(text: string): string {
  // Most strings have nothing to escape: found by one regular-expression search, returned as they
  // are. The rest are copied in runs between the characters replaced, about four times faster
  // than a replace with a callback (links carry `&` between their parameters).
  const first = text.search(SPECIAL);
  if (first < 0) return text;
  let out = text.slice(0, first);
  let last = first;
  for (let index = first; index < text.length; index += 1) {
    let entity: string;
    switch (text.charCodeAt(index)) {
      case 38:
        entity = '&amp;';
        break;
      case 60:
        entity = '&lt;';
        break;
      case 62:
        entity = '&gt;';
        break;
      case 34:
        entity = '&quot;';
        break;
      case 39:
        entity = '&#39;';
        break;
      default:
        continue;
    }
    if (last !== index) out += text.slice(last, index);
    out += entity;
    last = index + 1;
  }
  return last < text.length ? out + text.slice(last) : out;
}

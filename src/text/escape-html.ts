// HTML escaping for text and attribute values: the one escaper every renderer uses.

const SPECIAL = /[&<>"']/;
const SPECIAL_GLOBAL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** @example escapeHtml('<b>"R&D"</b>') // '&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;' */
export function escapeHtml(text: string): string {
  // Most strings have nothing to escape: test first, allocate only when needed.
  return SPECIAL.test(text) ? text.replace(SPECIAL_GLOBAL, (c) => ENTITIES[c] as string) : text;
}

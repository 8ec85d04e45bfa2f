// Slugs: readable, ASCII, stable; cut at a word boundary.
import slugify from '@sindresorhus/slugify';

const MAX_SLUG_LENGTH = 80;

/**
 * @example slugFor('OSCE plays key role in fight against human trafficking') // 'osce-plays-key-role-in-fight-against-human-trafficking'
 * @example slugFor('Türkiye') // 'turkiye'
 */
export function slugFor(text: string): string {
  // Strip combining marks first: "Türkiye" → "turkiye", as the organisation spells its URLs.
  const slug = slugify(text.normalize('NFKD').replace(/\p{M}/gu, ''), { decamelize: false });
  if (slug.length <= MAX_SLUG_LENGTH) return slug || 'untitled';
  const cut = slug.slice(0, MAX_SLUG_LENGTH + 1);
  const lastDash = cut.lastIndexOf('-');
  return lastDash > 20 ? cut.slice(0, lastDash) : slug.slice(0, MAX_SLUG_LENGTH);
}

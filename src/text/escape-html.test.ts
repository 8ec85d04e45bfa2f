import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

describe('escapeHtml', () => {
  it('replaces exactly the five special characters, whatever surrounds them', () => {
    const text = fc.array(fc.oneof(fc.constantFrom('&', '<', '>', '"', "'"), fc.string({ unit: 'grapheme' })), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(text, (parts) => {
        const input = parts.join('');
        expect(escapeHtml(input)).toBe(input.replace(/[&<>"']/g, (c) => ENTITIES[c] as string));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns text with nothing to escape as it is', () => {
    expect(escapeHtml('Roma and Sinti – Türkiye')).toBe('Roma and Sinti – Türkiye');
    expect(escapeHtml('<b>"R&D"</b>')).toBe('&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;');
    expect(escapeHtml("it's")).toBe('it&#39;s');
  });
});

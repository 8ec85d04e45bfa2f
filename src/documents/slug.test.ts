import { describe, expect, it } from 'vitest';
import { slugFor } from './slug.ts';

describe('slugFor', () => {
  it('makes a readable ASCII slug', () => {
    expect(slugFor('OSCE plays key role in fight against human trafficking, top official says')).toBe(
      'osce-plays-key-role-in-fight-against-human-trafficking-top-official-says',
    );
  });

  it('transliterates letters with diacritics and other scripts', () => {
    expect(slugFor('Türkiye')).toBe('turkiye');
    expect(slugFor('Cyber/ICT Security')).toBe('cyber-ict-security');
    expect(slugFor('Вена')).toBe('vena');
  });

  it('cuts long titles at a word boundary', () => {
    const slug = slugFor('word '.repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('-')).toBe(false);
    expect(slug.split('-').every((part) => part === 'word')).toBe(true);
  });

  it('never returns an empty slug', () => {
    expect(slugFor('!!!')).toBe('untitled');
  });
});

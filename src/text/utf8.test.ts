import { describe, expect, it } from 'vitest';
import { utf8Bytes } from './utf8.ts';

describe('utf8Bytes', () => {
  it.each([
    ['empty', ''],
    ['short', 'Vienna – 11 September'],
    ['ASCII', '<p>plain</p>'.repeat(500)],
    ['Latin-1', 'Türkiye · Côte d’Ivoire '.repeat(200)],
    ['Cyrillic and an emoji', 'Пресс-релиз 🇦🇹 '.repeat(300)],
    ['a lone surrogate', `${'x'.repeat(3000)}\ud800${'y'.repeat(10)}`],
  ])('encodes %s text as Buffer.from does', (_, text) => {
    expect(utf8Bytes(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });
});

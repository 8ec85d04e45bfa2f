import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EncodedHtml,
  encoded,
  type Html,
  html,
  joinPieces,
  pieces,
  piecesBytes,
  type Renderable,
  raw,
} from './html.ts';

/** Values a template may hold: text (escaped), numbers, markup, kept markup, lists of them, nothing. */
const renderable: fc.Arbitrary<Renderable> = fc.letrec<{ value: Renderable }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }),
    fc.integer(),
    fc.constantFrom(null, undefined, false as const),
    fc.string({ unit: 'grapheme' }).map((text): Html => raw(`<b>${text}</b>`)),
    fc.string({ unit: 'grapheme' }).map((text): Html => encoded(html`<i>${text}</i>`)),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value;

/** A template's strings as a tagged call receives them. */
const template = (parts: string[]): TemplateStringsArray => Object.assign([...parts], { raw: [...parts] });

describe('pieces', () => {
  it('is the markup html`` makes, with kept fragments apart and every byte as encoding the whole', () => {
    fc.assert(
      fc.property(
        fc.array(renderable, { maxLength: 6 }),
        fc.array(fc.string({ unit: 'grapheme' })),
        (values, texts) => {
          const strings = template(Array.from({ length: values.length + 1 }, (_, index) => texts[index] ?? '<p>'));
          const expected = html(strings, ...values).value;
          const markup = pieces(strings, ...values);
          expect(joinPieces(markup)).toBe(expected);
          expect(Buffer.concat(piecesBytes(markup)).equals(Buffer.from(expected, 'utf8'))).toBe(true);
          // Nothing between two kept fragments is split: the markup between them is one piece.
          for (let index = 1; index < markup.length; index += 1) {
            const both = [markup[index - 1], markup[index]].every((piece) => !(piece instanceof EncodedHtml));
            expect(both).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sends a kept fragment’s own bytes, not a copy encoded again', () => {
    const row = encoded(html`<li>Vienna – 11 September 2007</li>`);
    const [, kept] = piecesBytes(pieces`<ol>${[row]}</ol>`);
    expect(kept).toBe(row.bytes);
  });
});

// schema.org JSON-LD values, and their serialisation for an inline <script> data block.

/** A JSON value; `undefined` members are left out when serialised. */
export type JsonLdValue = string | number | boolean | null | JsonLdNode | readonly JsonLdValue[];

/** One JSON-LD object, e.g. `{ '@type': 'Place', name: 'Vienna' }`. */
export interface JsonLdNode {
  readonly [key: string]: JsonLdValue | undefined;
}

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;

/**
 * JSON that cannot end the surrounding `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 are
 * written as `\uXXXX` escapes, which every JSON parser reads back as the same characters.
 * @example serializeJsonLd({ name: '</script>' }) // '{"name":"\\u003c/script\\u003e"}'
 */
export function serializeJsonLd(node: JsonLdNode): string {
  return JSON.stringify(node).replace(
    UNSAFE_IN_SCRIPT,
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}

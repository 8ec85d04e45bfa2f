import { describe, expect, it } from 'vitest';
import { KeptFor } from './kept.ts';

describe('KeptFor', () => {
  it('makes a frozen object’s value once, again when what else it depends on changes', () => {
    const kept = new KeptFor<object, number>();
    const held = Object.freeze({ id: 1 });
    let made = 0;
    const make = () => ++made;
    expect(kept.get(held, ['a', 2], make)).toBe(1);
    expect(kept.get(held, ['a', 2], make)).toBe(1);
    expect(kept.get(held, ['b', 2], make)).toBe(2);
    expect(kept.get(held, ['b'], make)).toBe(3);
  });

  it('never keeps the value of an object that may still change', () => {
    const kept = new KeptFor<object, number>();
    const open = { id: 2 };
    let made = 0;
    kept.get(open, [], () => ++made);
    kept.get(open, [], () => ++made);
    expect(made).toBe(2);
  });
});

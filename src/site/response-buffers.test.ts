import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseBuffers } from './response-buffers.ts';

describe('ResponseBuffers', () => {
  it('joins pieces into the bytes Buffer.concat makes', () => {
    const buffers = new ResponseBuffers(1024, 4);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (arrays) => {
        const pieces = arrays.map((array) => Buffer.from(array));
        const { body, release } = buffers.join(pieces);
        expect(body.equals(Buffer.concat(pieces))).toBe(true);
        release();
      }),
    );
  });

  it('reuses a buffer once released, never one still in use', () => {
    const buffers = new ResponseBuffers(64, 4);
    const first = buffers.join([Buffer.from('first page')]);
    const second = buffers.join([Buffer.from('second page')]);
    // Both in use: two different buffers, each still holding its own page.
    expect(first.body.buffer).not.toBe(second.body.buffer);
    first.release();
    first.release();
    expect(buffers.idleCount).toBe(1);
    const third = buffers.join([Buffer.from('third')]);
    expect(third.body.buffer).toBe(first.body.buffer);
    expect(second.body.toString()).toBe('second page');
    expect(third.body.toString()).toBe('third');
  });

  it('keeps at most maxIdle idle buffers, and joins a page larger than one buffer apart', () => {
    const buffers = new ResponseBuffers(16, 2);
    const joined = [1, 2, 3].map(() => buffers.join([Buffer.from('page')]));
    for (const { release } of joined) release();
    expect(buffers.idleCount).toBe(2);
    const large = buffers.join([Buffer.alloc(20, 1), Buffer.alloc(20, 2)]);
    expect(large.body.length).toBe(40);
    large.release();
    expect(buffers.idleCount).toBe(2);
  });
});

// The buffers pages are sent from, reused from one response to the next. A page is rendered as
// pieces of bytes (src/site/layout.ts), most of them kept from earlier requests; joining them in
// a new buffer each time cost more than the copy itself: the allocation of tens of kilobytes
// outside V8's heap, then its collection. Measured on one core with node:http and wrk, the same
// 22 KB page from 45 pieces: about 26,000 requests/s through Buffer.concat, 38,000 through a
// reused buffer (docs/decisions/0019-hot-pages-without-a-page-cache.md).

/** Room for the largest pages (a listing with every facet open is about 70 KB). */
const SLAB_BYTES = 256 * 1024;
/** At most this many idle buffers are kept: 16 MB. */
const MAX_IDLE = 64;

export interface JoinedBytes {
  readonly body: Buffer;
  /** Gives the buffer back once the response has been handed to the operating system. */
  readonly release: () => void;
}

export class ResponseBuffers {
  private readonly idle: Buffer[] = [];

  constructor(
    private readonly slabBytes = SLAB_BYTES,
    private readonly maxIdle = MAX_IDLE,
  ) {}

  /**
   * The pieces in one buffer. Call `release` only when nothing reads `body` any more (a
   * response's 'finish'); a buffer never released is simply collected.
   * @example const { body, release } = buffers.join(pieces); reply.raw.once('finish', release); reply.send(body);
   */
  join(pieces: readonly Buffer[]): JoinedBytes {
    let length = 0;
    for (const piece of pieces) length += piece.length;
    if (length > this.slabBytes) return { body: Buffer.concat(pieces, length), release: () => {} };
    const slab = this.idle.pop() ?? Buffer.allocUnsafeSlow(this.slabBytes);
    let offset = 0;
    for (const piece of pieces) offset += piece.copy(slab, offset);
    let released = false;
    return {
      body: slab.subarray(0, length),
      release: () => {
        if (released) return;
        released = true;
        if (this.idle.length < this.maxIdle) this.idle.push(slab);
      },
    };
  }

  /** How many buffers wait to be reused. */
  get idleCount(): number {
    return this.idle.length;
  }
}

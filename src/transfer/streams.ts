// The ends an export or import runs between: a file or standard output written with back-pressure,
// a file or standard input read line by line, and a bounded pipe from an export into an import.
import fs from 'node:fs';
import readline from 'node:readline';
import type { LineSink } from './export.ts';

/**
 * A sink onto a writable stream: each page of lines is one write, and the next waits for 'drain'
 * when the stream's buffer is full (a slow disk or a slow reader of a pipe holds the export back).
 * `detach` removes its listener once the export is done.
 */
export function streamSink(stream: NodeJS.WritableStream): LineSink & { detach(): void } {
  // Kept from the start: an error between two waits (EPIPE on a closed pipe) would otherwise be
  // an 'error' event nobody listens to, which ends the process.
  let failure: Error | null = null;
  const onError = (error: Error) => {
    failure ??= error;
  };
  stream.on('error', onError);
  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const settle = (error: Error | null) => {
        stream.off('drain', onDrain);
        stream.off('error', onFailure);
        stream.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => settle(null);
      const onFailure = (error: Error) => settle(error);
      const onClose = () => settle(failure ?? new Error('the output was closed before the export was written'));
      stream.on('drain', onDrain);
      stream.on('error', onFailure);
      stream.on('close', onClose);
    });
  return {
    async write(lines) {
      if (failure) throw failure;
      if (!stream.write(`${lines.join('\n')}\n`)) await drained();
      if (failure) throw failure;
    },
    detach() {
      stream.off('error', onError);
    },
  };
}

/**
 * The lines of a stream (a file, standard input), without their line ends. The stream is opened
 * at the first read, not before: lines read before anyone iterates would be lost, and a file that
 * cannot be opened would be an 'error' event nobody listens to. A file is closed at the end.
 */
export async function* linesOf(open: () => NodeJS.ReadableStream): AsyncGenerator<string> {
  const input = open();
  try {
    yield* readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  } finally {
    if (input instanceof fs.ReadStream) input.destroy();
  }
}

export interface LinePipe {
  /** What the export writes to: it waits while `capacity` pages are not yet read. */
  sink: LineSink;
  /** What the import reads. */
  lines: AsyncIterable<string>;
  /** No more pages. */
  end(): void;
  /** Stops both sides with `error`: a waiting writer and the reader each throw it. */
  fail(error: unknown): void;
}

/**
 * A bounded pipe of pages of lines, in memory: `migrate-data` streams an export straight into an
 * import without a file, holding at most `capacity` pages (a few thousand rows) at once.
 */
export function linePipe(capacity = 4): LinePipe {
  const pages: (readonly string[])[] = [];
  let ended = false;
  let failure: { error: unknown } | null = null;
  // Read through a function: the other side sets it while this side awaits.
  const failed = (): { error: unknown } | null => failure;
  let wakeReader: (() => void) | null = null;
  let wakeWriter: (() => void) | null = null;
  const wake = () => {
    wakeReader?.();
    wakeWriter?.();
    wakeReader = null;
    wakeWriter = null;
  };
  return {
    sink: {
      async write(lines) {
        const before = failed();
        if (before) throw before.error;
        pages.push(lines);
        wake();
        while (pages.length >= capacity && !failed()) {
          await new Promise<void>((resolve) => {
            wakeWriter = resolve;
          });
        }
        const after = failed();
        if (after) throw after.error;
      },
    },
    lines: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const stopped = failed();
          if (stopped) throw stopped.error;
          const page = pages.shift();
          if (page) {
            wake();
            yield* page;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => {
            wakeReader = resolve;
          });
        }
      },
    },
    end() {
      ended = true;
      wake();
    },
    fail(error) {
      failure ??= { error };
      wake();
    },
  };
}

// Progress of a long command (an import, an export, a backup): a bar on a terminal, else a plain
// line now and then (a pipe, a log, CI).
import { Presets, SingleBar } from 'cli-progress';
import type { ProgressStream } from './usage.ts';

export interface ProgressReporter {
  update(done: number, total: number): void;
  stop(): void;
}

/** Without a terminal, at most one plain line this often. */
const PLAIN_PROGRESS_EVERY_MS = 10_000;

const NUMBER = new Intl.NumberFormat('en');

/**
 * @example const progress = progressReporter('Exporting', 'rows', io.progressStream, io.err);
 */
export function progressReporter(
  label: string,
  unit: string,
  stream: ProgressStream,
  err: (line: string) => void,
): ProgressReporter {
  const started = performance.now();
  const rate = (done: number) => {
    const seconds = (performance.now() - started) / 1000;
    return Math.round(seconds > 0 ? done / seconds : done);
  };
  if (!stream.isTTY) {
    let lastLineAt = started;
    return {
      update(done, total) {
        if (done === total || performance.now() - lastLineAt < PLAIN_PROGRESS_EVERY_MS) return;
        lastLineAt = performance.now();
        const perSecond = rate(done);
        const left = perSecond > 0 ? `, about ${NUMBER.format(Math.ceil((total - done) / perSecond))} s left` : '';
        err(
          `${label}: ${NUMBER.format(done)}/${NUMBER.format(total)} ${unit}, ${NUMBER.format(perSecond)} ${unit}/s${left}`,
        );
      },
      stop() {},
    };
  }
  const bar = new SingleBar(
    {
      stream,
      format: `${label} {bar} {value}/{total} ${unit} | {rate} ${unit}/s | {eta_formatted} left`,
      // The time left from the last thousand steps, not the last few: steadier on a fast run.
      etaBuffer: 1000,
    },
    Presets.shades_classic,
  );
  let drawing = false;
  return {
    update(done, total) {
      const payload = { rate: NUMBER.format(rate(done)) };
      if (drawing) bar.update(done, payload);
      else if (total > 0) {
        bar.start(total, done, payload);
        drawing = true;
      }
    },
    stop() {
      if (drawing) bar.stop();
      drawing = false;
    },
  };
}

// What every command shares: its input and output, and the mistake of calling it wrongly.

/** Where the progress bar goes: drawn only when `isTTY` (a terminal), never into a pipe or a log. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  progressStream: ProgressStream;
}

/** A command called wrongly: the message, then the usage to call it rightly (exit status 2). */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The usage text printed after the message (default: the command line's). */
    readonly usage?: string,
  ) {
    super(message);
  }
}

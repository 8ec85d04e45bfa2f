// The one clock: every write stamps its moments with it and every reader's "now" comes from it,
// so that tests can travel in time through a save or an embargo.

/** The current moment. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

// The one logger of a process: Fastify's requests and the commands' own steps write through it, so
// a terminal shows one readable stream and a log collector one JSON stream, never a mix.
import { type Logger, pino } from 'pino';
import PinoPretty from 'pino-pretty';
import type { Config } from './config.ts';

export type { Logger };

/** @example const log = createLogger(config); log.info('migrated'); */
export function createLogger(
  { logLevel, logFormat }: Pick<Config, 'logLevel' | 'logFormat'>,
  destination: NodeJS.WritableStream = process.stdout,
): Logger {
  if (logFormat === 'json') return pino({ level: logLevel }, destination);
  const pretty = PinoPretty({
    destination,
    colorize: (destination as { isTTY?: boolean }).isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    // Written as they happen: a start-up message must not sit in a buffer when the process exits.
    sync: true,
  });
  return pino({ level: logLevel }, pretty);
}

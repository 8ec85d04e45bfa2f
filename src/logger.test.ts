import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function captured(format: 'pretty' | 'json') {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { logger: createLogger({ logLevel: 'info', logFormat: format }, stream), text: () => text };
}

describe('the logger', () => {
  it('writes one readable line per event for a person', () => {
    const { logger, text } = captured('pretty');
    logger.info({ port: 3000 }, 'Dateline is listening');
    logger.debug('not at this level');
    const lines = text().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: Dateline is listening$/);
    expect(text()).toContain('port: 3000');
    expect(text()).not.toContain('not at this level');
    expect(() => JSON.parse(lines[0] as string)).toThrow();
  });

  it('writes one JSON object per line for a collector', () => {
    const { logger, text } = captured('json');
    logger.info({ port: 3000 }, 'Dateline is listening');
    expect(JSON.parse(text())).toMatchObject({ level: 30, msg: 'Dateline is listening', port: 3000 });
  });
});

// Thousands of distinct searches must not grow the process: every cache that fills with them
// (counts, matches, statements) is bounded and swept. Measured over real HTTP, since inject()
// itself holds some memory per call.
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/test-app.ts';

const SEARCHES = 2_500;

describe('memory under many distinct searches', () => {
  let testApp: TestApp;
  let origin: string;
  beforeAll(async () => {
    // The production settings: a count cache, the bitmap index.
    testApp = await buildTestApp({ demo: 300, countCacheTtlMs: 30_000, bitmapIndex: true });
    origin = await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    await testApp.indexReady;
  });
  afterAll(() => testApp.cleanup());

  it(`stays flat over ${SEARCHES.toLocaleString('en')} distinct searches`, async () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heapMb = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed / 1024 ** 2;
    };
    const search = async (q: string) => {
      const response = await fetch(`${origin}/search?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    };
    // Warm: code compiled, caches of the first few hundred filled.
    for (let i = 0; i < 300; i += 1) await search(`police warm${i}`);
    const before = heapMb();
    for (let i = 0; i < SEARCHES; i += 1) await search(i % 2 === 0 ? `police v${i}` : `media OR youth x${i}`);
    const growth = heapMb() - before;
    console.log(
      `heap: ${before.toFixed(1)} MB before, grew ${growth.toFixed(1)} MB over ${SEARCHES} distinct searches`,
    );
    expect(growth).toBeLessThan(20);
  }, 120_000);
});

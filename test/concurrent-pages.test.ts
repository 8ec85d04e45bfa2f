// Pages are assembled from fragments kept between requests (held rows, facet panels, bodies:
// docs/decisions/0019-hot-pages-without-a-page-cache.md). Many pages at once over real HTTP,
// slow readers among them, must each arrive whole and as they are alone.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/test-app.ts';

/** GET over a new connection, read slowly when asked (the server's writes then wait on the socket). */
function get(origin: string, path: string, slow = false): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${origin}${path}`, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (slow && chunks.length === 1) {
          // Not read for a while: the server's write of a page larger than the socket's buffers waits.
          response.pause();
          setTimeout(() => response.resume(), 300);
        }
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

describe('pages sent at once', () => {
  let testApp: TestApp;
  let origin: string;
  const paths: string[] = [];

  beforeAll(async () => {
    testApp = await buildTestApp({ demo: 400, bitmapIndex: true });
    origin = await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    await testApp.indexReady;
    const home = (await get(origin, '/')).body.toString();
    const documents = [...home.matchAll(/href="(\/(?:press-releases|news)\/\d{4}\/\d{2}\/[a-z0-9-]+)"/g)].map(
      (match) => match[1] as string,
    );
    // Pages of 100 rows are larger than what the kernel buffers for a reader that does not read.
    paths.push(
      '/',
      '/documents?page_size=100',
      '/documents?page=2&page_size=100',
      '/news',
      '/events',
      ...new Set(documents),
    );
  }, 120_000);
  afterAll(() => testApp.cleanup());

  it('each arrive whole and as they are alone, slow readers among them', async () => {
    expect(paths.length).toBeGreaterThan(8);
    const alone = new Map<string, Buffer>();
    for (const path of paths) alone.set(path, (await get(origin, path)).body);
    const requests = Array.from({ length: 240 }, (_, index) => paths[index % paths.length] as string);
    expect((alone.get('/documents?page_size=100') as Buffer).length).toBeGreaterThan(100_000);
    const answers = await Promise.all(requests.map((path, index) => get(origin, path, index % 3 === 0)));
    answers.forEach((answer, index) => {
      const path = requests[index] as string;
      expect(answer.status, path).toBe(200);
      expect(answer.body.equals(alone.get(path) as Buffer), path).toBe(true);
    });
  }, 120_000);
});

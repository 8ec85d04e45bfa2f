import { it } from 'vitest';
import { buildTestApp } from './support/test-app.ts';
it('x', async () => {
  const t = await buildTestApp({ demo: 2000 });
  const url = '/structures/secretariat';
  await t.app.inject({ url });
  const qs: { sql: string; at: number }[] = [];
  const stop = t.store.observeQueries((sql) => qs.push({ sql, at: performance.now() }));
  const start = performance.now();
  await t.app.inject({ url });
  const end = performance.now();
  stop();
  console.log('total', (end - start).toFixed(1));
  for (const q of qs) console.log(((q.at - start)).toFixed(1), q.sql.slice(0, 400));
  // time each statement directly
  await t.cleanup();
}, 300000);

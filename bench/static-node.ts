// The ceiling of one Node process: the document page's HTML, saved, served as a constant string by
// Node's own HTTP server or by a bare Fastify route — no database, no rendering, no plugins. What
// the site does per request comes on top of this. Usage: node bench/static-node.ts http|fastify FILE PORT
import fs from 'node:fs';
import http from 'node:http';
import Fastify from 'fastify';

const [kind, file, port] = process.argv.slice(2);
if ((kind !== 'http' && kind !== 'fastify') || !file || !port) {
  console.error('usage: static-node.ts http|fastify FILE PORT');
  process.exit(2);
}
const page = fs.readFileSync(file);
const headers = { 'content-type': 'text/html; charset=utf-8', 'content-length': String(page.length) };
if (kind === 'http') {
  http
    .createServer((_request, response) => {
      response.writeHead(200, headers);
      response.end(page);
    })
    .listen(Number(port), '127.0.0.1');
} else {
  const app = Fastify({ logger: false });
  app.get('/*', (_request, reply) => reply.headers(headers).send(page));
  await app.listen({ port: Number(port), host: '127.0.0.1' });
}

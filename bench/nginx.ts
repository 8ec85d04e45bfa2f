// nginx serving one saved HTML page from a temporary directory: the static baseline.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Child, LOOPBACK, startChild, waitForHttp } from './support.ts';

export const NGINX_BINARY = '/usr/sbin/nginx';

export interface StaticServer {
  readonly url: string;
  readonly version: string;
  readonly child: Child;
}

export function nginxInstalled(): boolean {
  try {
    fs.accessSync(NGINX_BINARY, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * One worker process (the app is one Node process too), no access log, no gzip, keep-alive without a
 * request cap (Node has none), the pid file and temporary files in `dir`. Runs as the current user.
 */
function configFor(dir: string, port: number): string {
  const info = os.userInfo();
  // As root, nginx would hand the worker to "nobody", which cannot read a private temporary directory.
  const user = info.uid === 0 ? `user ${info.username};\n` : '';
  return `${user}daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  gzip off;
  server_tokens off;
  types { text/html html; }
  default_type application/octet-stream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen ${LOOPBACK}:${port};
    root ${dir}/www;
    location / { try_files $uri =404; }
  }
}
`;
}

/** Starts nginx with `page` saved as /document.html; stop it with `child.stop()`. */
export async function startNginx(dir: string, port: number, page: string): Promise<StaticServer> {
  fs.mkdirSync(path.join(dir, 'www'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'www', 'document.html'), page);
  const configFile = path.join(dir, 'nginx.conf');
  fs.writeFileSync(configFile, configFor(dir, port));
  // -e: errors found before the configuration is read go to the temporary directory too.
  const child = startChild(
    'nginx',
    NGINX_BINARY,
    ['-p', `${dir}/`, '-c', configFile, '-e', path.join(dir, 'error.log')],
    process.env,
    dir,
  );
  const url = `http://${LOOPBACK}:${port}/document.html`;
  try {
    await waitForHttp(url, child, 10_000);
  } catch (error) {
    await child.stop();
    const log = fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return { url, version: nginxVersion(), child };
}

function nginxVersion(): string {
  // `nginx -v` writes "nginx version: nginx/1.22.1" to stderr.
  const result = spawnSync(NGINX_BINARY, ['-v'], { encoding: 'utf8', timeout: 5000 });
  return (result.stderr ?? '').replace(/^nginx version:\s*/, '').trim() || 'nginx';
}

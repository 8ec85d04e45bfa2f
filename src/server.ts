// Starts the HTTP server and stops it cleanly on SIGINT/SIGTERM.
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { StartupError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Store } from './store/store.ts';

/** Why listening failed, as the person starting the site can fix it; null for other errors. */
export function listenFailure(error: unknown, { host, port }: Pick<Config, 'host' | 'port'>): StartupError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return new StartupError(
      `Port ${port} on ${host} is already in use, by another Dateline or another program.`,
      `Stop that program, or start on another port: PORT=${port + 1} npm start`,
    );
  if (code === 'EACCES')
    return new StartupError(
      `This user may not listen on port ${port}.`,
      'Choose a port above 1023 (PORT=3000), or put a reverse proxy in front.',
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new StartupError(
      `HOST=${host} is not an address of this machine.`,
      'Use HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface).',
    );
  return null;
}

export interface ServerParts {
  /** The database, opened and set up; the server closes it when it stops. */
  store: Store;
  logger?: Logger;
}

/** Listens on the configured address, with one line saying where (and where readers reach it). */
export async function startServer(config: Config, { store, logger }: ServerParts): Promise<void> {
  const { app } = await buildApp(config, { store, logger });
  // The store after the app, not in an onClose hook: the app's own hooks (the index snapshot
  // written at shutdown) still read from it.
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await store.close();
    process.exit(0);
  };
  try {
    await app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (address) =>
        address === config.baseUrl
          ? `Dateline is listening on ${address}`
          : `Dateline is listening on ${address}; readers reach it at ${config.baseUrl}`,
    });
  } catch (error) {
    // The caller closes the store it opened.
    await app.close();
    throw listenFailure(error, config) ?? error;
  }
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

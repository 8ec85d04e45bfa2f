// Starts the HTTP server and stops it cleanly on SIGINT/SIGTERM.
import { buildApp } from './app.ts';
import type { Config } from './config.ts';

export async function startServer(config: Config): Promise<void> {
  const { app } = await buildApp(config);
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ port: config.port, host: config.host });
}

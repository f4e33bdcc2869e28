import type { Server } from 'node:http';
import { createRequire } from 'node:module';

type SesServer = (config: { host: string; port: number }) => Promise<Server>;

/** The SES emulator: the SES API for the handlers, a mailbox page and `GET /store` for tests. */
export async function startSes(port: number): Promise<{ endpoint: string; stop(): Promise<void> }> {
  // A CommonJS module whose function is `exports.default`; require() reads it the same way
  // under Node and under vitest's module loader.
  const { default: sesServer } = createRequire(import.meta.url)('aws-ses-v2-local') as { default: SesServer };
  const server = await sesServer({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { Agent, createServer, request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { listen } from './process.ts';

type SesServer = (config: { host: string; port: number }) => Promise<Server>;

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * The SES emulator: the SES API (behind the local AWS endpoint), a mailbox page and `GET /store`
 * for tests. It binds a port the system assigns (it cannot report a taken port), and the mailbox
 * is served on the preferred port by a small pass-through in this process.
 */
export async function startSes(
  preferredPort: number | undefined,
): Promise<{ endpoint: string; mailboxUrl: string; stop(): Promise<void> }> {
  // A CommonJS module whose function is `exports.default`; require() reads it the same way
  // under Node and under vitest's module loader.
  const { default: sesServer } = createRequire(import.meta.url)('aws-ses-v2-local') as { default: SesServer };
  const emulator = await sesServer({ host: '127.0.0.1', port: 0 });
  const address = emulator.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const agent = new Agent({ keepAlive: true });
  const mailbox = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { connection: _c, ...headers } = req.headers;
    const forward = (retry: boolean) => {
      const forwarded = request(
        { host: '127.0.0.1', port, path: req.url, method: req.method, headers, agent },
        async (answer) => {
          const body: Buffer[] = [];
          for await (const chunk of answer) body.push(chunk as Buffer);
          const { connection: _a, 'transfer-encoding': _t, ...out } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, out).end(Buffer.concat(body));
        },
      );
      forwarded.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the emulator closed just as it was reused: the request never
        // reached it, so it is sent once more on a new socket (Node's documented pattern).
        if (retry && forwarded.reusedSocket && error.code === 'ECONNRESET') forward(false);
        else res.writeHead(502).end(JSON.stringify({ message: `SES emulator: ${error.message}` }));
      });
      forwarded.end(Buffer.concat(chunks));
    };
    forward(true);
  });
  const mailboxPort = await listen(mailbox, preferredPort);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    mailboxUrl: `http://127.0.0.1:${mailboxPort}`,
    stop: async () => {
      agent.destroy();
      await close(mailbox);
      await close(emulator);
    },
  };
}

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../constructs/manager-function.ts';
import { listen } from './process.ts';

/**
 * The API reference page of `npm start` (issue 14): Scalar's bundled standalone page, served
 * from node_modules (no CDN), over docs/openapi.json with the local API as its server. Not part
 * of the emulated API Gateway: in AWS the deploy publishes the same document.
 */
export async function startReference(apiUrl: string, preferredPort = 0) {
  // The package exports no subpath for its browser bundle: read it where npm put it.
  const script = join(
    PROJECT_ROOT,
    'node_modules',
    '@scalar',
    'api-reference',
    'dist',
    'browser',
    'standalone.js',
  );
  const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Manager API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/standalone.js"></script>
    <script>
      Scalar.createApiReference('#app', { url: '/openapi.json', defaultOpenAllTags: true });
    </script>
  </body>
</html>
`;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (path === '/standalone.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(script));
    } else if (path === '/openapi.json') {
      // Read at each request: `npm run openapi` shows at the next reload.
      const document = JSON.parse(readFileSync(join(PROJECT_ROOT, 'docs', 'openapi.json'), 'utf8'));
      document.servers = [{ url: apiUrl, description: 'The local API of npm start' }];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  });
  const port = await listen(server, preferredPort);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type Server } from 'node:http';

/** /healthz: the process answers; /readyz: and every cache has listed its collection. */
export async function startHealthServer(host: string, port: number, ready: () => boolean): Promise<Server> {
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    const ok = path === '/healthz' || (path === '/readyz' && ready());
    const known = path === '/healthz' || path === '/readyz';
    response.writeHead(ok ? 200 : known ? 503 : 404, { 'content-type': 'text/plain' });
    response.end(ok ? 'ok\n' : known ? 'caches not synced\n' : 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}

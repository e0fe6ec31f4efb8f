// A loopback TCP proxy that misbehaves on purpose: between Cairn and a real server, it resets some
// connections partway, stalls others (stops forwarding but keeps them open), and for HTTP answers
// some with "503 Slow Down". Decisions come from a seeded generator, so a failing run reproduces.
import { createHash } from 'node:crypto';
import { connect, createServer } from 'node:net';

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

/**
 * Listens on `listenPort` (default: a free one) and forwards to `host`:`port`; with no faults asked
 * for, it only forwards. Faults apply per connection: `plan` lists what the first connections do
 * ('pass', 'reset', 'stall', '503'); after it, `reset`, `stall` and `http503` are the shares of
 * connections that fail. A reset or stall strikes after a random number of bytes below
 * `maxBytesBeforeFault`, so transfers break midway.
 */
export async function startFaultProxy({
  host = '127.0.0.1',
  port,
  listenPort = 0,
  seed = 1,
  plan = [],
  reset = 0,
  stall = 0,
  http503 = 0,
  maxBytesBeforeFault = 4 * 1024 * 1024,
}) {
  let draws = 0;
  const random = () => createHash('sha256').update(`${seed}/${draws++}`).digest().readUInt32BE(0) / 2 ** 32;
  const stats = { connections: 0, resets: 0, stalls: 0, http503: 0 };
  const sockets = new Set();
  const track = (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    return socket;
  };
  const choose = () => {
    const planned = plan[stats.connections];
    stats.connections++;
    if (planned) return planned;
    const r = random();
    if (r < reset) return 'reset';
    if (r < reset + stall) return 'stall';
    if (r < reset + stall + http503) return '503';
    return 'pass';
  };

  const server = createServer((client) => {
    track(client);
    const mode = choose();
    if (mode === '503') {
      client.once('data', () => {
        stats.http503++;
        client.end(
          `HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(SLOW_DOWN)}\r\n` +
            `Connection: close\r\n\r\n${SLOW_DOWN}`,
        );
      });
      return;
    }
    const upstream = track(connect(port, host));
    const budget = mode === 'pass' ? Infinity : Math.floor(random() * maxBytesBeforeFault);
    let passed = 0;
    let struck = false;
    const forward = (from, to) =>
      from.on('data', (chunk) => {
        if (struck) return;
        passed += chunk.length;
        if (passed <= budget) return void to.write(chunk);
        struck = true;
        if (mode === 'reset') {
          stats.resets++;
          client.resetAndDestroy();
          upstream.destroy();
        } else {
          stats.stalls++; // both sockets stay open and silent until the proxy stops
        }
      });
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    stats,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

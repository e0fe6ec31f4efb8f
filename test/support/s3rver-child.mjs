// Runs s3rver for s3-server.mjs in its own Node process: s3rver signs listing continuation tokens with
// DES, which OpenSSL 3 keeps in its legacy provider, and that can only be enabled when a process starts.
// Prints {"port":N} once listening; stops on SIGTERM.
import process from 'node:process';

const [directory, bucket] = process.argv.slice(2);
let S3rver;
try {
  S3rver = (await import('s3rver')).default;
} catch (error) {
  process.stderr.write(`s3rver is missing (run "npm ci"): ${error.message}\n`);
  process.exit(3);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once('SIGTERM', () => {
  server.httpServer.closeAllConnections();
  server.close().finally(() => process.exit(0));
});

#!/usr/bin/env node
// Cairn needs Node 24 (zstd in node:zlib); say so plainly instead of failing on a missing API.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`cairn: Node.js 24 or newer is required (this is ${process.version})\n`);
  process.exit(1);
}
await import('../dist/src/main.js');

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../src/index.js';

test('log lines carry ISO times, for people reading `docker compose logs`, and no secrets', async () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  createLogger('test', 'info', destination).info({ password: 'hunter2-hunter2' }, 'hello');
  await new Promise((resolve) => setImmediate(resolve));
  const line = JSON.parse(lines[0]!) as { time: unknown; password: unknown };
  assert.equal(typeof line.time, 'string');
  assert.equal(new Date(line.time as string).toISOString(), line.time);
  assert.equal(line.password, '[redacted]');
});

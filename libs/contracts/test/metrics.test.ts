// The /metrics listener every service runs (runtime/metrics.ts), over real HTTP.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { Gauge, Registry } from 'prom-client';
import { z } from 'zod';
import { loadConfig, metricsEnv, serveMetrics } from '../src/index.js';

const quiet = { info: () => undefined, warn: () => undefined };

test('serves the process’s series and the service’s own; a failed collection answers 503 in words', async () => {
  const registry = new Registry();
  let broken = false;
  new Gauge({
    name: 'test_answer',
    help: 'a service series',
    registers: [registry],
    collect() {
      if (broken) throw new Error('database unreachable');
      this.set(42);
    },
  });
  const metrics = await serveMetrics(
    { CAIRN_METRICS_PORT: 0, CAIRN_METRICS_BIND: '127.0.0.1' },
    quiet,
    registry,
  );
  try {
    const text = await (await fetch(metrics.url)).text();
    assert.match(text, /^test_answer 42$/m);
    assert.match(text, /^process_start_time_seconds \d+$/m);
    broken = true;
    const failed = await fetch(metrics.url);
    assert.equal(failed.status, 503);
    assert.equal(await failed.text(), 'metrics unavailable: database unreachable\n');
  } finally {
    await metrics.close();
  }
});

test('each service has a port of its own by default; a bad port or a taken one is refused by name', async () => {
  const schema = (service: 'catalog' | 'runner') => z.object(metricsEnv(service));
  assert.equal(loadConfig(schema('catalog'), {}).CAIRN_METRICS_PORT, 9464);
  assert.equal(loadConfig(schema('runner'), {}).CAIRN_METRICS_PORT, 9468);
  assert.throws(
    () => loadConfig(schema('runner'), { CAIRN_METRICS_PORT: 'http' }),
    /CAIRN_METRICS_PORT: .*got "http"/,
  );
  const blocker = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => blocker.once('listening', resolve));
  const { port } = blocker.address() as { port: number };
  try {
    await assert.rejects(
      serveMetrics({ CAIRN_METRICS_PORT: port, CAIRN_METRICS_BIND: '127.0.0.1' }, quiet),
      new RegExp(`cannot serve metrics on 127\\.0\\.0\\.1:${port}: EADDRINUSE`),
    );
  } finally {
    blocker.close();
  }
});

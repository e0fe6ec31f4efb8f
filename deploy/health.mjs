// Is a service serving? Each probe asks the question its clients ask, so "healthy" means "answers",
// not merely "the process is up".
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { HEALTH_PROBES, connectNats, loadNatsSettings, request } from '@cairn/contracts';

const TIMEOUT_MS = 5000;

/** Resolves to a line saying the service answers; rejects with a line saying why it does not. */
export function checkHealth(name, env = process.env) {
  const probe = name === 'gateway' ? gatewayHealth(gatewayUrl(env)) : natsHealth(name, env);
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name}: no answer within ${TIMEOUT_MS / 1000} s`)),
      TIMEOUT_MS,
    );
  });
  return Promise.race([probe, deadline]).finally(() => clearTimeout(timer));
}

async function natsHealth(name, env) {
  const [endpoint, payload] = HEALTH_PROBES[name];
  let nc;
  try {
    // As the service itself: its user may ask its own health question (deploy/nats/nats.conf).
    nc = await connectNats(loadNatsSettings(env, name), `cairn-health-${name}`);
    await request(nc, endpoint, payload, TIMEOUT_MS);
    return `${name}: answers on ${endpoint.subject}`;
  } catch (error) {
    throw new Error(`${name}: ${error.message}`, { cause: error });
  } finally {
    await nc?.close();
  }
}

/** The gateway's own health: it reaches NATS and, through it, the catalog. */
export async function gatewayHealth(url) {
  const target = `${url}/api/v1/health`;
  let body;
  try {
    body = JSON.parse(await fetchText(target));
  } catch (error) {
    throw new Error(`gateway: no answer at ${target}: ${error.message}`, { cause: error });
  }
  if (body.status !== 'ok') {
    throw new Error(`gateway: ${body.status ?? 'unknown'} (nats: ${body.nats}, catalog: ${body.catalog})`);
  }
  return `gateway: ok at ${url}`;
}

/** Where the gateway of this container listens, from the variables the gateway itself reads. */
function gatewayUrl(env) {
  const bind = env.CAIRN_BIND || '127.0.0.1';
  const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind;
  const scheme = env.CAIRN_TLS_CERT ? 'https' : 'http';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${env.CAIRN_PORT || 8200}`;
}

function fetchText(url) {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    // The certificate names the public host, never the loopback address probed here.
    const req = get(url, { rejectUnauthorized: false, timeout: TIMEOUT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

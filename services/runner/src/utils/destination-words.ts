import { isCairnError, type ErrorDetail } from '@cairn/engine';

/** A destination's failure as a person reads it, about the fields they filled in. */
export interface DestinationWords {
  message: string;
  /** The server's SSH host key, offered to trust (SHA256:…), when it is the key that stopped the test. */
  hostKey?: string;
}

const TLS_CERTIFICATE = /CERT|SIGNATURE|ALTNAME/;

/**
 * Undefined when the failure has nothing to do with reaching or logging in to the destination; the
 * engine's own message (written for the CLI, with its flags and variables) then stands.
 */
export function destinationWords(error: unknown): DestinationWords | undefined {
  if (isCairnError(error) && error.detail) return fromDetail(error.detail);
  return fromNetwork(error);
}

function fromDetail(detail: ErrorDetail): DestinationWords {
  switch (detail.reason) {
    case 'host-key-unknown':
      return {
        message:
          `${detail.host} presents the ${detail.keyType} host key ${detail.fingerprint}, which this ` +
          `destination does not know yet. If it is the server's key, trust it.`,
        hostKey: detail.fingerprint,
      };
    case 'host-key-changed':
      return {
        message:
          `${detail.host} presents the ${detail.keyType} host key ${detail.fingerprint}, not the one this ` +
          `destination trusts: someone may be intercepting the connection. Trust the new key only if the ` +
          `server's key really changed.`,
        hostKey: detail.fingerprint,
      };
    case 'host-key-revoked':
      return {
        message: `${detail.host} presents the ${detail.keyType} host key ${detail.fingerprint}, which is revoked: it cannot be trusted.`,
      };
    case 'login-refused':
      return {
        message: `${detail.host} refused the login as "${detail.user}": check the user name and the private key or password.`,
      };
    case 'repository-missing':
      return {
        message: `There is no repository at ${detail.location}: the destination is empty, or its files were moved or deleted.`,
      };
    case 'private-key-unusable':
      return {
        message: detail.wrongPassphrase
          ? 'The private key is locked: enter its passphrase (the one it was made with).'
          : 'The private key cannot be read: paste the whole key file, from "-----BEGIN" to "-----END".',
      };
  }
}

/** The socket or TLS error under a backend's failure, in words; undefined when there is none. */
function fromNetwork(error: unknown): DestinationWords | undefined {
  for (let cause = error, depth = 0; cause && depth < 6; cause = (cause as Error).cause, depth++) {
    const { code, address, port, hostname } = cause as {
      code?: unknown;
      address?: string;
      port?: number;
      hostname?: string;
    };
    if (typeof code !== 'string') continue;
    const where = address ? `${address}${port ? `:${port}` : ''}` : 'the server';
    if (code === 'ECONNREFUSED')
      return {
        message: `Nothing answers at ${where}: check the host and the port, and that the server runs.`,
      };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return { message: `There is no host named ${hostname ?? 'like that'}: check the spelling.` };
    if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN'].includes(code))
      return { message: `${where} cannot be reached from the runner: check the address and the network.` };
    if (code === 'ECONNRESET')
      return { message: `${where} closed the connection: check that the port is the destination's.` };
    if (TLS_CERTIFICATE.test(code))
      return {
        message: `The server's TLS certificate is not trusted (${code.toLowerCase().replaceAll('_', ' ')}).`,
      };
    if (code.startsWith('ERR_SSL') || code === 'EPROTO')
      return {
        message:
          'The secure (HTTPS) connection failed: the server may not speak HTTPS on this port; for a plain-HTTP server use http://.',
      };
  }
  return undefined;
}

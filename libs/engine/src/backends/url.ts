import { userInfo } from 'node:os';
import { CairnError } from '../errors.js';

export interface S3Location {
  /** `http(s)://host[:port]`, for the SDK. */
  endpoint: string;
  hostname: string;
  bucket: string;
  /** Key prefix, empty or ending in "/". */
  prefix: string;
  /** The URL as users wrote it, for messages. */
  display: string;
}

export interface SftpLocation {
  user: string;
  hostname: string;
  port: number;
  /** Absolute, or relative to the login folder when the URL said `/~/…`. */
  path: string;
  display: string;
}

/** `s3://host[:port]/bucket[/prefix]` (HTTPS) or `s3+http://…` (plain HTTP). */
export function parseS3Url(location: string): S3Location {
  const url = parseUrl(location, 's3://host[:port]/bucket[/prefix]');
  const [bucket = '', ...rest] = segments(url);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(bucket)) {
    throw new CairnError(
      'usage',
      `"${location}" names no valid bucket: use s3://host[:port]/bucket[/prefix]`,
    );
  }
  const secure = url.protocol === 's3:';
  const hostPort = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  const prefix = rest.length > 0 ? `${rest.join('/')}/` : '';
  return {
    endpoint: `${secure ? 'https' : 'http'}://${hostPort}`,
    hostname: url.hostname,
    bucket,
    prefix,
    display: `${url.protocol}//${hostPort}/${bucket}${prefix ? `/${prefix.slice(0, -1)}` : ''}`,
  };
}

/** `sftp://[user@]host[:port]/absolute/path`, or `sftp://…/~/path` for a path in the login folder. */
export function parseSftpUrl(location: string): SftpLocation {
  const url = parseUrl(location, 'sftp://user@host[:port]/path');
  const parts = segments(url);
  const inHome = parts[0] === '~';
  const path = inHome ? parts.slice(1).join('/') || '.' : `/${parts.join('/')}`;
  const user = url.username ? decodeURIComponent(url.username) : userInfo().username;
  const port = url.port ? Number(url.port) : 22;
  const hostPort = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  return {
    user,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    path,
    display: `sftp://${user}@${hostPort}${url.pathname}`,
  };
}

function parseUrl(location: string, shape: string): URL {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new CairnError('usage', `malformed repository URL "${location}": expected ${shape}`);
  }
  // Echoing the URL back here would print the secret we refuse to take.
  if (url.password) {
    throw new CairnError(
      'usage',
      'the repository URL contains a password: put credentials in the environment instead ' +
        '(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, CAIRN_SFTP_PASSWORD or CAIRN_SFTP_KEY)',
    );
  }
  if (url.protocol !== 'sftp:' && url.username) {
    throw new CairnError('usage', 'an S3 URL takes no user name: put AWS_ACCESS_KEY_ID in the environment');
  }
  if (!url.hostname) throw new CairnError('usage', `"${location}" names no host: expected ${shape}`);
  if (url.search || url.hash) {
    throw new CairnError('usage', `"${location}": query strings and fragments are not supported`);
  }
  if (url.port && !(Number(url.port) > 0 && Number(url.port) < 65536)) {
    throw new CairnError('usage', `"${location}": port ${url.port} is out of range`);
  }
  return url;
}

function segments(url: URL): string[] {
  try {
    return url.pathname
      .split('/')
      .filter((part) => part !== '')
      .map((part) => decodeURIComponent(part));
  } catch {
    throw new CairnError('usage', `"${url.href}": malformed percent-encoding in the path`);
  }
}

import type { DestinationInput } from '../../core/api.types';

export type DestinationKind = 'folder' | 's3' | 'sftp';

export interface FolderFields {
  path: string;
}

export interface S3Fields {
  /** Blank: AWS. "minio.lan:9000", "https://s3.example.com" or "http://10.0.0.5:9000". */
  endpoint: string;
  bucket: string;
  prefix: string;
  region: string;
  /** null: the engine's default (path style everywhere but AWS). */
  pathStyle: boolean | null;
  createBucket: boolean;
  storageClass: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SftpFields {
  user: string;
  host: string;
  port: number | null;
  /** Absolute, or ~/… for a folder in the login folder. */
  path: string;
  hostKey: string;
  auth: 'key' | 'password';
  privateKey: string;
  privateKeyPassphrase: string;
  password: string;
}

export type DestinationTarget = Pick<DestinationInput, 'url' | 'options' | 'secrets'>;

export function folderPathProblem(path: string): string | null {
  const trimmed = path.trim();
  if (!trimmed) return 'Enter the folder to keep backups in, like /srv/backups';
  if (!trimmed.startsWith('/')) return 'Enter an absolute folder path, starting with /';
  return null;
}

/** The scheme and host of an S3 endpoint as the engine's URL wants them. */
function s3Endpoint(endpoint: string, region: string): { scheme: 's3' | 's3+http'; host: string } {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  if (!trimmed)
    return { scheme: 's3', host: region.trim() ? `s3.${region.trim()}.amazonaws.com` : 's3.amazonaws.com' };
  const plain = /^http:\/\//i.test(trimmed);
  return { scheme: plain ? 's3+http' : 's3', host: trimmed.replace(/^https?:\/\//i, '') };
}

export function s3EndpointProblem(endpoint: string): string | null {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  if (!trimmed) return null;
  const host = trimmed.replace(/^https?:\/\//i, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host))
    return 'Start the endpoint with https:// or http://, or leave the scheme out';
  if (!/^(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/i.test(host)) {
    return 'Enter a host name and optional port, like minio.lan:9000';
  }
  const port = Number(/:(\d+)$/.exec(host)?.[1] ?? 443);
  if (port < 1 || port > 65535) return 'The port must be between 1 and 65535';
  return null;
}

export function bucketProblem(bucket: string): string | null {
  if (!bucket.trim()) return 'Enter the bucket name';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(bucket.trim())) {
    return 'A bucket name has letters, digits, dots, dashes and underscores only';
  }
  return null;
}

export function sftpPathProblem(path: string): string | null {
  const trimmed = path.trim();
  if (!trimmed) return 'Enter the folder on the server, like /srv/cairn';
  if (!trimmed.startsWith('/') && !trimmed.startsWith('~/')) {
    return 'Enter an absolute path starting with /, or ~/ for a folder in the login folder';
  }
  return null;
}

export function hostKeyProblem(hostKey: string): string | null {
  const trimmed = hostKey.trim();
  if (!trimmed) return null;
  return /^SHA256:[A-Za-z0-9+/]{43}=?$/.test(trimmed)
    ? null
    : 'A fingerprint looks like SHA256: followed by 43 letters and digits';
}

export function hostProblem(host: string): string | null {
  const trimmed = host.trim();
  if (!trimmed) return 'Enter the server name or address';
  if (!/^(\[?[0-9a-f:.]+\]?|[A-Za-z0-9.-]+)$/i.test(trimmed))
    return 'Enter a host name like nas.lan, without user or port';
  return null;
}

/** Folder → its path; the URL forms are those of README.md, "Remote destinations". */
export function folderTarget(fields: FolderFields): DestinationTarget {
  const path = fields.path.trim();
  return { url: path.length > 1 ? path.replace(/\/+$/, '') : path, options: {}, secrets: {} };
}

/** `s3://host[:port]/bucket[/prefix]` (HTTPS) or `s3+http://…`; keys go in the secrets, never the URL. */
export function s3Target(fields: S3Fields): DestinationTarget {
  const { scheme, host } = s3Endpoint(fields.endpoint, fields.region);
  const prefix = fields.prefix
    .split('/')
    .map((part) => part.trim())
    .filter(Boolean)
    .map(encodeURIComponent);
  const url = [`${scheme}://${host}`, fields.bucket.trim(), ...prefix].join('/');
  const options: Record<string, string> = {};
  if (fields.region.trim()) options['region'] = fields.region.trim();
  if (fields.pathStyle !== null) options['pathStyle'] = String(fields.pathStyle);
  if (fields.storageClass.trim()) options['storageClass'] = fields.storageClass.trim();
  if (fields.createBucket) options['createBucket'] = 'true';
  const secrets: Record<string, string> = {};
  if (fields.accessKeyId.trim()) secrets['accessKeyId'] = fields.accessKeyId.trim();
  if (fields.secretAccessKey) secrets['secretAccessKey'] = fields.secretAccessKey;
  return { url, options, secrets };
}

/** `sftp://user@host[:port]/absolute/path`, or `…/~/path` for a folder in the login folder. */
export function sftpTarget(fields: SftpFields): DestinationTarget {
  const host = fields.host.trim();
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const port = fields.port && fields.port !== 22 ? `:${fields.port}` : '';
  const rawPath = fields.path.trim();
  const path = (rawPath.startsWith('~/') ? `/${rawPath}` : rawPath).replace(/(.)\/+$/, '$1');
  const url = `sftp://${encodeURIComponent(fields.user.trim())}@${hostPart}${port}${path}`;
  const options: Record<string, string> = {};
  if (fields.hostKey.trim()) options['hostKey'] = fields.hostKey.trim();
  const secrets: Record<string, string> =
    fields.auth === 'password'
      ? fields.password
        ? { password: fields.password }
        : {}
      : {
          ...(fields.privateKey.trim() ? { privateKey: `${fields.privateKey.trim()}\n` } : {}),
          ...(fields.privateKeyPassphrase ? { privateKeyPassphrase: fields.privateKeyPassphrase } : {}),
        };
  return { url, options, secrets };
}

/** A destination URL in words: "Folder /srv/backups", "S3 bucket photos on minio.lan:9000". */
export function describeDestinationUrl(url: string): string {
  const s3 = /^(s3|s3\+http):\/\/([^/]+)\/([^/]+)(\/.*)?$/i.exec(url);
  if (s3) {
    const prefix = s3[4] ? `, folder ${decodeURIComponent(s3[4].slice(1))}` : '';
    const host = /^s3(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(s3[2]) ? 'AWS' : s3[2];
    return `S3 bucket ${s3[3]}${prefix} on ${host}${s3[1] === 's3+http' ? ' (plain HTTP)' : ''}`;
  }
  const sftp = /^sftp:\/\/(?:([^@/]+)@)?([^/]+)(\/.*)$/i.exec(url);
  if (sftp) {
    const path = sftp[3].startsWith('/~/') ? sftp[3].slice(1) : sftp[3];
    return `SFTP folder ${path} on ${sftp[1] ? `${decodeURIComponent(sftp[1])}@` : ''}${sftp[2]}`;
  }
  return `Folder ${url}`;
}

/** A name for a new destination when the person gives none; the catalog wants names unique. */
export function suggestedDestinationName(url: string, taken: readonly string[] = []): string {
  const base = baseName(url);
  let name = base;
  for (let count = 2; taken.includes(name); count++) name = `${base} ${count}`;
  return name;
}

function baseName(url: string): string {
  const s3 = /^s3(?:\+http)?:\/\/[^/]*\/?([^/]*)/i.exec(url);
  if (s3) return s3[1] ? `S3 ${s3[1]}` : 'S3 bucket';
  const sftp = /^sftp:\/\/(?:[^@/]*@)?([^/:]*)/i.exec(url);
  if (sftp) return sftp[1] ? `SFTP ${sftp[1]}` : 'SFTP server';
  const folder = url.replace(/\/+$/, '').split('/').pop();
  return folder ? `Folder ${folder}` : 'Folder';
}

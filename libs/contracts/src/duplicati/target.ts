// Duplicati's target URL as a Cairn destination. Duplicati carries credentials in the URL's query
// (auth-username, auth-password, ssh-key); they go to the destination's secrets, never into its URL,
// options or any sentence shown.

export interface TargetMapping {
  destination: { name: string; url: string; options: Record<string, string> };
  secrets: Record<string, string>;
  imported: string;
  notes: string[];
}

/** Query options that hold credentials: their values are never shown. */
const CREDENTIALS = new Set([
  'auth-username',
  'auth-password',
  'aws-access-key-id',
  'aws-secret-access-key',
  'ssh-key',
]);

/** The destination, or a sentence saying why Cairn cannot write there. */
export function mapTarget(targetUrl: string): TargetMapping | string {
  const trimmed = targetUrl.trim();
  if (trimmed.startsWith('/')) return folder(trimmed, new URLSearchParams());
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return scheme
      ? `Cairn cannot read the ${scheme}:// destination of the Duplicati job.`
      : 'The Duplicati job’s destination is not a URL Cairn can read.';
  }
  const query = url.searchParams;
  if (scheme === 'file') {
    const path = decodeURIComponent(url.pathname);
    if (url.host || /^\/?[A-Za-z]:/.test(path))
      return 'The Duplicati job writes to a Windows drive or share (file://…): give the runner that folder and create the destination by hand.';
    return folder(path, query);
  }
  if (scheme === 's3') return s3(url, query);
  if (scheme === 'ssh' || scheme === 'sftp') return sftp(url, query);
  return (
    `The Duplicati job writes to ${scheme}://, which Cairn cannot: Cairn writes to a folder, to S3 or an ` +
    'S3-compatible service, or over SFTP.'
  );
}

function folder(path: string, query: URLSearchParams): TargetMapping {
  const clean = path.replace(/\/+$/, '') || '/';
  return {
    destination: { name: `Folder ${clean}`, url: clean, options: {} },
    secrets: {},
    imported: `the destination, the folder ${clean} (the runner must reach it).`,
    notes: unknownOptions(query, new Set()),
  };
}

function s3(url: URL, query: URLSearchParams): TargetMapping {
  const server = query.get('s3-server-name') || 's3.amazonaws.com';
  const secure = query.get('use-ssl') !== 'false';
  const bucket = url.hostname;
  const prefix = url.pathname.replace(/^\/+|\/+$/g, '');
  const address = `${secure ? 's3' : 's3+http'}://${server}/${bucket}${prefix ? `/${prefix}` : ''}`;
  const options: Record<string, string> = {};
  const region = query.get('s3-location-constraint');
  if (region) options['region'] = region;
  const storageClass = query.get('s3-storage-class');
  if (storageClass) options['storageClass'] = storageClass;
  const secrets = present({
    accessKeyId: query.get('auth-username') ?? query.get('aws-access-key-id'),
    secretAccessKey: query.get('auth-password') ?? query.get('aws-secret-access-key'),
  });
  return {
    destination: { name: `S3 ${bucket}`, url: address, options },
    secrets,
    imported: `the destination, S3 bucket ${bucket}${prefix ? `, prefix ${prefix}` : ''} at ${server}${region ? ` (${region})` : ''}${credentialsWord(secrets)}.`,
    notes: unknownOptions(
      query,
      new Set(['s3-server-name', 'use-ssl', 's3-location-constraint', 's3-storage-class']),
    ),
  };
}

function sftp(url: URL, query: URLSearchParams): TargetMapping {
  const user = query.get('auth-username') || decodeURIComponent(url.username);
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  const path = decodeURIComponent(url.pathname).replace(/\/+$/, '') || '/';
  const address = `sftp://${user ? `${encodeURIComponent(user)}@` : ''}${host}${path}`;
  const key = query.get('ssh-key');
  const secrets = present({
    password: query.get('auth-password') ?? (url.password ? decodeURIComponent(url.password) : null),
    privateKey: key ? key.replace(/^sshkey:\/\//, '') : null,
  });
  const notes = unknownOptions(query, new Set(['ssh-fingerprint', 'ssh-keyfile']));
  if (query.get('ssh-fingerprint'))
    notes.push(
      'the SSH host key fingerprint: Duplicati writes it in a form Cairn does not pin; “Test connection” on the ' +
        'destination shows the server’s key to trust.',
    );
  if (query.get('ssh-keyfile'))
    notes.push(
      'the SSH key file (ssh-keyfile): it is on the Duplicati machine; paste the private key below.',
    );
  return {
    destination: { name: `SFTP ${url.hostname}`, url: address, options: {} },
    secrets,
    imported: `the destination, SFTP ${user ? `${user}@` : ''}${host}, folder ${path}${credentialsWord(secrets)}.`,
    notes,
  };
}

/** Options in the URL that no mapping reads, by name only (their values may be secrets). */
function unknownOptions(query: URLSearchParams, known: ReadonlySet<string>): string[] {
  const names = [...new Set(query.keys())].filter((name) => !known.has(name) && !CREDENTIALS.has(name));
  return names.length ? [`the destination options Cairn has no counterpart for: ${names.join(', ')}.`] : [];
}

function present(values: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => !!entry[1]));
}

function credentialsWord(secrets: Record<string, string>): string {
  return Object.keys(secrets).length ? '; its credentials are filled in below' : '';
}

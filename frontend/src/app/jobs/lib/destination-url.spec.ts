import {
  bucketProblem,
  describeDestinationUrl,
  folderPathProblem,
  folderTarget,
  hostKeyProblem,
  s3EndpointProblem,
  s3Target,
  sftpPathProblem,
  sftpTarget,
  suggestedDestinationName,
  type S3Fields,
  type SftpFields,
} from './destination-url';

const s3: S3Fields = {
  endpoint: '',
  bucket: 'photos',
  prefix: '',
  region: '',
  pathStyle: null,
  createBucket: false,
  storageClass: '',
  accessKeyId: '',
  secretAccessKey: '',
};

const sftp: SftpFields = {
  user: 'backup',
  host: 'nas.lan',
  port: 22,
  path: '/srv/cairn',
  hostKey: '',
  auth: 'key',
  privateKey: '',
  privateKeyPassphrase: '',
  password: '',
};

describe('destination URLs', () => {
  it('takes an absolute folder as it is', () => {
    expect(folderTarget({ path: ' /srv/backups/ ' })).toEqual({
      url: '/srv/backups',
      options: {},
      secrets: {},
    });
    expect(folderPathProblem('/srv/backups')).toBeNull();
    expect(folderPathProblem('backups')).toBe('Enter an absolute folder path, starting with /');
    expect(folderPathProblem('')).toBe('Enter the folder to keep backups in, like /srv/backups');
  });

  it('builds S3 URLs with the host the engine expects', () => {
    expect(s3Target({ ...s3, prefix: '/nas/2026/' }).url).toBe('s3://s3.amazonaws.com/photos/nas/2026');
    expect(s3Target({ ...s3, region: 'eu-west-1' })).toEqual({
      url: 's3://s3.eu-west-1.amazonaws.com/photos',
      options: { region: 'eu-west-1' },
      secrets: {},
    });
    expect(s3Target({ ...s3, endpoint: 'http://minio.lan:9000/' }).url).toBe(
      's3+http://minio.lan:9000/photos',
    );
    expect(s3Target({ ...s3, endpoint: 'https://s3.example.com' }).url).toBe('s3://s3.example.com/photos');
    expect(s3Target({ ...s3, endpoint: 'minio.lan:9000' }).url).toBe('s3://minio.lan:9000/photos');
  });

  it('keeps S3 keys out of the URL and options out of the secrets', () => {
    const target = s3Target({
      ...s3,
      endpoint: 'minio.lan:9000',
      pathStyle: true,
      createBucket: true,
      storageClass: 'STANDARD_IA',
      accessKeyId: ' AKIA123 ',
      secretAccessKey: 's3cr3t',
    });
    expect(target.options).toEqual({ pathStyle: 'true', createBucket: 'true', storageClass: 'STANDARD_IA' });
    expect(target.secrets).toEqual({ accessKeyId: 'AKIA123', secretAccessKey: 's3cr3t' });
    expect(target.url).not.toContain('AKIA');
    expect(s3Target({ ...s3, pathStyle: false }).options).toEqual({ pathStyle: 'false' });
  });

  it('checks S3 fields in words', () => {
    expect(s3EndpointProblem('')).toBeNull();
    expect(s3EndpointProblem('minio.lan:9000')).toBeNull();
    expect(s3EndpointProblem('ftp://minio.lan')).toBe(
      'Start the endpoint with https:// or http://, or leave the scheme out',
    );
    expect(s3EndpointProblem('minio.lan/path')).toBe(
      'Enter a host name and optional port, like minio.lan:9000',
    );
    expect(s3EndpointProblem('minio.lan:70000')).toBe('The port must be between 1 and 65535');
    expect(bucketProblem('')).toBe('Enter the bucket name');
    expect(bucketProblem('my bucket')).toMatch(/letters, digits/);
  });

  it('builds SFTP URLs, with the port only when it is not 22', () => {
    expect(sftpTarget({ ...sftp, privateKey: 'KEY' })).toEqual({
      url: 'sftp://backup@nas.lan/srv/cairn',
      options: {},
      secrets: { privateKey: 'KEY\n' },
    });
    const home = sftpTarget({
      ...sftp,
      port: 2222,
      path: '~/backups/',
      hostKey: 'SHA256:abc',
      auth: 'password',
      password: 'pw',
      privateKey: 'ignored',
    });
    expect(home).toEqual({
      url: 'sftp://backup@nas.lan:2222/~/backups',
      options: { hostKey: 'SHA256:abc' },
      secrets: { password: 'pw' },
    });
    expect(sftpTarget({ ...sftp, host: 'fd00::5' }).url).toBe('sftp://backup@[fd00::5]/srv/cairn');
  });

  it('checks SFTP fields in words', () => {
    expect(sftpPathProblem('srv/cairn')).toMatch(/^Enter an absolute path starting with \//);
    expect(sftpPathProblem('~/cairn')).toBeNull();
    expect(hostKeyProblem('')).toBeNull();
    expect(hostKeyProblem(`SHA256:${'a'.repeat(43)}`)).toBeNull();
    expect(hostKeyProblem('ssh-ed25519 AAAA')).toBe(
      'A fingerprint looks like SHA256: followed by 43 letters and digits',
    );
  });

  it('describes a URL in words and suggests a free name', () => {
    expect(describeDestinationUrl('/srv/backups')).toBe('Folder /srv/backups');
    expect(describeDestinationUrl('s3://s3.amazonaws.com/photos/nas')).toBe(
      'S3 bucket photos, folder nas on AWS',
    );
    expect(describeDestinationUrl('s3+http://minio.lan:9000/photos')).toBe(
      'S3 bucket photos on minio.lan:9000 (plain HTTP)',
    );
    expect(describeDestinationUrl('sftp://backup@nas.lan:2222/~/backups')).toBe(
      'SFTP folder ~/backups on backup@nas.lan:2222',
    );
    expect(suggestedDestinationName('/srv/backups')).toBe('Folder backups');
    expect(suggestedDestinationName('/srv/backups', ['Folder backups', 'Folder backups 2'])).toBe(
      'Folder backups 3',
    );
    expect(suggestedDestinationName('s3://s3.amazonaws.com/')).toBe('S3 bucket');
    expect(suggestedDestinationName('sftp://backup@nas.lan/srv')).toBe('SFTP nas.lan');
  });
});

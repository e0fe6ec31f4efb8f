import { aJob } from '../dashboard/test-data';
import {
  destinationNameProblem,
  destinationPatch,
  jobsByDestination,
  secretFields,
} from './destination-edit';

describe('destination edits', () => {
  it('asks each kind for its own credentials, a folder for none', () => {
    expect(secretFields('/srv/backups')).toEqual([]);
    expect(secretFields('s3://minio.lan:9000/photos').map((field) => field.name)).toEqual([
      'accessKeyId',
      'secretAccessKey',
    ]);
    expect(secretFields('sftp://ann@nas/backups').map((field) => field.name)).toEqual([
      'password',
      'privateKey',
      'privateKeyPassphrase',
    ]);
  });

  it('sends only what changed: a blank credential keeps the stored one', () => {
    expect(destinationPatch({ name: 'NAS' }, ' NAS ', { accessKeyId: '', secretAccessKey: '  ' })).toEqual(
      {},
    );
    expect(destinationPatch({ name: 'NAS' }, 'Offsite', {})).toEqual({ name: 'Offsite' });
    expect(
      destinationPatch({ name: 'NAS' }, 'NAS', { accessKeyId: 'AKIA2', secretAccessKey: 's e' }),
    ).toEqual({
      secrets: { accessKeyId: 'AKIA2', secretAccessKey: 's e' },
    });
  });

  it('ends a pasted private key with one newline, as OpenSSH writes it', () => {
    expect(destinationPatch({ name: 'NAS' }, 'NAS', { privateKey: '\n-----KEY-----\n\n' })).toEqual({
      secrets: { privateKey: '-----KEY-----\n' },
    });
  });

  it('refuses a blank name in words', () => {
    expect(destinationNameProblem('  ')).toBe('Give the destination a name, such as “NAS” or “Offsite S3”.');
    expect(destinationNameProblem('NAS')).toBeNull();
  });

  it('groups the jobs by the destination they use', () => {
    const [a, b, c] = [
      aJob({ id: 'a', destinationId: 'd1' }),
      aJob({ id: 'b', destinationId: 'd2' }),
      aJob({ id: 'c', destinationId: 'd1' }),
    ];
    const byDestination = jobsByDestination([a, b, c]);
    expect(byDestination.get('d1')).toEqual([a, c]);
    expect(byDestination.get('d2')).toEqual([b]);
    expect(byDestination.get('d3')).toBeUndefined();
  });
});

import { destinationKind, exportFileName, readJobFile } from './job-file';
import { EXPORTED } from './test-data';

describe('readJobFile', () => {
  it('reads an exported job', () => {
    const reading = readJobFile(JSON.stringify(EXPORTED));
    expect(reading.problem).toBeNull();
    expect(reading.file?.job['name']).toBe('Documents');
    expect(reading.file?.destination).toEqual({ name: 'NAS share', url: '/mnt/backups', options: {} });
  });

  it('refuses another export version, naming it', () => {
    expect(readJobFile(JSON.stringify({ ...EXPORTED, version: 2 })).problem).toBe(
      'The file is export version 2; this Cairn reads version 1.',
    );
  });

  it('refuses text that is not JSON, and JSON that is not an export', () => {
    expect(readJobFile('{"version": 1,').problem).toBe(
      'This is not valid JSON. Use the whole content of a .cairn-job.json file.',
    );
    expect(readJobFile('[1, 2]').problem).toBe(
      'This JSON is neither a Cairn job export (version, job and destination) nor a Duplicati one (Backup and Schedule).',
    );
  });

  it('says which part of the export is missing', () => {
    const withJob = (job: object) => JSON.stringify({ ...EXPORTED, job: { ...EXPORTED.job, ...job } });
    expect(readJobFile(withJob({ name: ' ' })).problem).toBe('The job in the file has no name.');
    expect(readJobFile(withJob({ sources: ['relative/path'] })).problem).toBe(
      'The job in the file has no source folders (each one an absolute path).',
    );
    expect(readJobFile(JSON.stringify({ version: 1, job: EXPORTED.job })).problem).toBe(
      'The file does not say where the backups go: its destination has no URL.',
    );
  });

  it('knows which destinations need credentials, and names the download after the job', () => {
    expect(destinationKind('s3+http://minio:9000/bucket')).toBe('s3');
    expect(destinationKind('sftp://backup@nas/volume1')).toBe('sftp');
    expect(destinationKind('/mnt/backups')).toBe('folder');
    expect(exportFileName('Photos: 2026/raw')).toBe('Photos- 2026-raw.cairn-job.json');
  });
});

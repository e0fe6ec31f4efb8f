import type { RunProgress } from './api.types';
import { progressFigures, summarizeProgress } from './progress';

function progress(fields: Partial<RunProgress>): RunProgress {
  return {
    runId: 'run-1',
    phase: 'backup',
    filesDone: 0,
    filesTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
    currentPath: '',
    elapsedMs: 0,
    ...fields,
  };
}

describe('summarizeProgress', () => {
  it('measures a backup by bytes, with the rate so far and the time left at that rate', () => {
    const summary = summarizeProgress(
      progress({
        filesDone: 9,
        filesTotal: 10,
        bytesDone: 25 * 2 ** 20,
        bytesTotal: 100 * 2 ** 20,
        elapsedMs: 5000,
      }),
      'running',
    );
    expect(summary.percent).toBe(25);
    expect(summary.bytesPerSecond).toBe(5 * 2 ** 20);
    expect(summary.etaMs).toBe(15_000);
    expect(summary.finished).toBe(false);
  });

  it('falls back to files when only they are counted (a check reads packs)', () => {
    const summary = summarizeProgress(progress({ filesDone: 3, filesTotal: 12, elapsedMs: 3000 }), 'running');
    expect(summary.percent).toBe(25);
    expect(summary.bytesPerSecond).toBeNull();
    expect(summary.etaMs).toBe(9000);
  });

  it('knows no percent and no time left while the totals are unknown', () => {
    const summary = summarizeProgress(
      progress({ phase: 'opening repository', bytesDone: 4096, elapsedMs: 1000 }),
      'running',
    );
    expect(summary.percent).toBeNull();
    expect(summary.etaMs).toBeNull();
    expect(summary.bytesPerSecond).toBe(4096);
  });

  it('has nothing to say before the first report', () => {
    expect(summarizeProgress(null, 'queued')).toEqual({
      percent: null,
      bytesPerSecond: null,
      etaMs: null,
      finished: false,
    });
  });

  it('reads 100% and no time left once the run succeeded, whatever the last report said', () => {
    const summary = summarizeProgress(
      progress({ bytesDone: 900, bytesTotal: 1000, elapsedMs: 2000 }),
      'succeeded',
    );
    expect(summary.percent).toBe(100);
    expect(summary.etaMs).toBeNull();
    expect(summary.finished).toBe(true);
  });

  it('keeps the point where a failed run stopped', () => {
    const summary = summarizeProgress(
      progress({ bytesDone: 300, bytesTotal: 1000, elapsedMs: 2000 }),
      'failed',
    );
    expect(summary.percent).toBe(30);
    expect(summary.etaMs).toBeNull();
    expect(summary.finished).toBe(true);
  });

  it('never passes 100% when more bytes were read than counted (files grew while read)', () => {
    const summary = summarizeProgress(
      progress({ bytesDone: 1200, bytesTotal: 1000, elapsedMs: 1000 }),
      'running',
    );
    expect(summary.percent).toBe(100);
    expect(summary.etaMs).toBeNull();
  });
});

describe('progressFigures', () => {
  const halfWay = (elapsedMs: number) =>
    progress({ bytesDone: 50, bytesTotal: 100, filesDone: 1, filesTotal: 2, elapsedMs });

  it('gives the time left in whole seconds, never in milliseconds', () => {
    expect(progressFigures(halfWay(888), 'running').timeLeft).toBe('less than a second');
    expect(progressFigures(halfWay(65_400), 'running').timeLeft).toBe('about 1 min 5 s');
    expect(progressFigures(progress({}), 'running').timeLeft).toBe('estimating…');
  });

  it('names the phase while running and the outcome once ended, dropping the file at hand', () => {
    const report = { ...halfWay(1000), phase: 'prune', currentPath: '/data/a' };
    expect(progressFigures(report, 'running')).toMatchObject({
      heading: 'Removing data no snapshot needs',
      currentPath: '/data/a',
      files: '1 of 2',
    });
    expect(progressFigures(report, 'failed')).toMatchObject({
      heading: 'Stopped by an error',
      currentPath: '',
    });
    expect(progressFigures(null, 'queued')).toMatchObject({ heading: 'Waiting for a runner', files: '—' });
  });
});

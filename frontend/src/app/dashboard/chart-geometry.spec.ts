import {
  MAX_SLOT,
  areaPath,
  bars,
  chartSamples,
  chartSummary,
  linePath,
  linePoints,
  type Box,
} from './chart-geometry';
import { aRun } from './test-data';

const BOX: Box = { x: 0, y: 10, width: 240, height: 40 };

describe('chart geometry', () => {
  it('scales the line from the lowest value at the bottom to the highest at the top', () => {
    const points = linePoints([100, 300, 200, 500, 400, 300], BOX);
    expect(points.map((point) => point.y)).toEqual([50, 30, 40, 10, 20, 30]);
    expect(points.map((point) => point.x)).toEqual([20, 60, 100, 140, 180, 220]);
    expect(linePath(points, BOX)).toBe('M20 50L60 30L100 40L140 10L180 20L220 30');
    expect(areaPath(points, BOX)).toBe('M20 50L60 30L100 40L140 10L180 20L220 30L220 50L20 50Z');
  });

  it('keeps many points inside the box, evenly spaced', () => {
    const points = linePoints(
      Array.from({ length: 20 }, (_, index) => index * index),
      BOX,
    );
    for (const { x, y } of points) {
      expect(x).toBeGreaterThan(BOX.x);
      expect(x).toBeLessThan(BOX.x + BOX.width);
      expect(y).toBeGreaterThanOrEqual(BOX.y);
      expect(y).toBeLessThanOrEqual(BOX.y + BOX.height);
    }
    expect(points[1].x - points[0].x).toBeCloseTo(points[19].x - points[18].x);
  });

  it('draws bars from zero, the longest filling the height', () => {
    const [short, long] = bars([1000, 4000], BOX, 4);
    expect(long).toMatchObject({ y: 10, height: 40, width: MAX_SLOT - 4 });
    expect(short).toMatchObject({ y: 40, height: 10 });
    expect(short.x + short.width + 4).toBeCloseTo(long.x);
  });

  it('centres a single run and gives it a visible level line', () => {
    const points = linePoints([700], BOX);
    expect(points).toEqual([{ x: 120, y: 30 }]);
    expect(linePath(points, BOX)).toBe('M100 30L140 30');
    const [bar] = bars([5000], BOX, 2);
    expect(bar.x + bar.width / 2).toBe(120);
    expect(bar.height).toBe(40);
  });

  it('draws nothing for no runs', () => {
    expect(linePoints([], BOX)).toEqual([]);
    expect(linePath([], BOX)).toBe('');
    expect(areaPath([], BOX)).toBe('');
    expect(bars([], BOX)).toEqual([]);
    expect(chartSummary([])).toBe('No successful backups to chart yet.');
  });

  it('charts successful backups oldest first and sums them up in words', () => {
    const runs = [
      aRun({ finishedMinutesAgo: 10, durationMs: 3000, stats: { repositorySize: 3 * 1024 * 1024 } }),
      aRun({ status: 'failed', finishedMinutesAgo: 20, stats: null }),
      aRun({ kind: 'verify', finishedMinutesAgo: 25 }),
      aRun({ finishedMinutesAgo: 30, durationMs: 1000, stats: { repositorySize: 1024 * 1024 } }),
    ];
    const samples = chartSamples(runs);
    expect(samples).toEqual([
      { repositorySize: 1024 * 1024, durationMs: 1000 },
      { repositorySize: 3 * 1024 * 1024, durationMs: 3000 },
    ]);
    expect(chartSummary(samples)).toBe(
      'Last 2 backups: repository size from 1.00 MiB to 3.00 MiB; each took between 1 s and 3 s.',
    );
    expect(chartSamples(runs, 1)).toEqual([{ repositorySize: 3 * 1024 * 1024, durationMs: 3000 }]);
  });
});

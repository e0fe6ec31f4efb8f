import type { Run } from '../core/api.types';
import { formatBytes, formatDuration } from '../core/format';
import { isSuccess, newestFirst, runDurationMs } from './job-health';

/** A rectangle of the SVG's coordinate space that one series fills. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Bar extends Box {
  value: number;
}

/** One finished backup as the chart sees it. */
export interface ChartSample {
  repositorySize: number;
  durationMs: number;
}

/** No slot is wider than this, so a few runs make a few bars in the middle, not slabs. */
export const MAX_SLOT = 40;

/**
 * Each value gets an equal slot, the slots centred in the box; a point sits in its slot's middle
 * so the line's points stand above the bars of the same runs.
 */
function slots(count: number, box: Box): { width: number; centre: (index: number) => number } {
  const width = Math.min(box.width / Math.max(count, 1), MAX_SLOT);
  const start = box.x + (box.width - width * count) / 2;
  return { width, centre: (index) => start + width * (index + 0.5) };
}

/** A sparkline from the lowest to the highest value: a flat series sits at mid-height. */
export function linePoints(values: readonly number[], box: Box): Point[] {
  const min = Math.min(...values);
  const range = Math.max(...values) - min;
  const { centre } = slots(values.length, box);
  return values.map((value, index) => ({
    x: centre(index),
    y: range === 0 ? box.y + box.height / 2 : box.y + box.height - ((value - min) / range) * box.height,
  }));
}

/** The line through the points; a lone point becomes a level stroke across its slot, to stay visible. */
export function linePath(points: readonly Point[], box: Box): string {
  return ends(points, box)
    .map((point, index) => `${index ? 'L' : 'M'}${round(point.x)} ${round(point.y)}`)
    .join('');
}

/** The line closed down to the box's bottom edge, to fill under it. */
export function areaPath(points: readonly Point[], box: Box): string {
  const line = ends(points, box);
  if (line.length === 0) return '';
  const bottom = round(box.y + box.height);
  return `${linePath(points, box)}L${round(line[line.length - 1].x)} ${bottom}L${round(line[0].x)} ${bottom}Z`;
}

function ends(points: readonly Point[], box: Box): readonly Point[] {
  if (points.length !== 1) return points;
  const [{ x, y }] = points;
  const half = slots(1, box).width / 2;
  return [
    { x: x - half, y },
    { x: x + half, y },
  ];
}

/** Bars from zero to the largest value, each filling its slot but for a gap. */
export function bars(values: readonly number[], box: Box, gap = 2): Bar[] {
  const max = Math.max(...values, 0);
  const { width: slot, centre } = slots(values.length, box);
  const width = Math.max(slot - gap, 1);
  return values.map((value, index) => {
    const height = max > 0 ? Math.max((value / max) * box.height, 1) : 1;
    return { value, x: centre(index) - width / 2, y: box.y + box.height - height, width, height };
  });
}

/** The last `limit` successful backups that carry a size, oldest first, as the chart plots them. */
export function chartSamples(runs: readonly Run[], limit = 12): ChartSample[] {
  const samples: ChartSample[] = [];
  for (const run of newestFirst(runs)) {
    const durationMs = runDurationMs(run);
    const repositorySize = run.stats?.repositorySize;
    if (run.kind !== 'backup' || !isSuccess(run) || durationMs === null || repositorySize === undefined)
      continue;
    samples.push({ repositorySize, durationMs });
    if (samples.length === limit) break;
  }
  return samples.reverse();
}

/** What the chart shows, in one sentence for a screen reader. */
export function chartSummary(samples: readonly ChartSample[]): string {
  if (samples.length === 0) return 'No successful backups to chart yet.';
  const durations = samples.map((sample) => sample.durationMs);
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (samples.length === 1)
    return `One backup: repository size ${formatBytes(first.repositorySize)}, took ${formatDuration(first.durationMs)}.`;
  return (
    `Last ${samples.length} backups: repository size from ${formatBytes(first.repositorySize)} ` +
    `to ${formatBytes(last.repositorySize)}; each took between ${formatDuration(Math.min(...durations))} ` +
    `and ${formatDuration(Math.max(...durations))}.`
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

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

/**
 * Each value gets an equal slot across the box; a point sits in its slot's middle so the line's
 * points stand above the bars of the same runs.
 */
function slotCentre(index: number, count: number, box: Box): number {
  return box.x + (box.width / count) * (index + 0.5);
}

/** A sparkline from the lowest to the highest value: a flat series sits at mid-height. */
export function linePoints(values: readonly number[], box: Box): Point[] {
  const min = Math.min(...values);
  const range = Math.max(...values) - min;
  return values.map((value, index) => ({
    x: slotCentre(index, values.length, box),
    y: range === 0 ? box.y + box.height / 2 : box.y + box.height - ((value - min) / range) * box.height,
  }));
}

/** The line through the points; a single point becomes a short level stroke so it stays visible. */
export function linePath(points: readonly Point[], box: Box): string {
  if (points.length === 0) return '';
  if (points.length === 1) {
    const { y } = points[0];
    return `M${round(box.x)} ${round(y)}H${round(box.x + box.width)}`;
  }
  return points.map((point, index) => `${index ? 'L' : 'M'}${round(point.x)} ${round(point.y)}`).join('');
}

/** The line closed down to the box's bottom edge, to fill under it. */
export function areaPath(points: readonly Point[], box: Box): string {
  const line = linePath(points, box);
  if (!line) return '';
  const bottom = round(box.y + box.height);
  const first = points.length === 1 ? box.x : points[0].x;
  const last = points.length === 1 ? box.x + box.width : points[points.length - 1].x;
  return `${line}L${round(last)} ${bottom}L${round(first)} ${bottom}Z`;
}

/** Bars from zero to the largest value, each filling its slot but for a gap. */
export function bars(values: readonly number[], box: Box, gap = 2): Bar[] {
  const max = Math.max(...values, 0);
  const slot = box.width / Math.max(values.length, 1);
  const width = Math.max(slot - gap, 1);
  return values.map((value, index) => {
    const height = max > 0 ? Math.max((value / max) * box.height, 1) : 1;
    return {
      value,
      x: slotCentre(index, values.length, box) - width / 2,
      y: box.y + box.height - height,
      width,
      height,
    };
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

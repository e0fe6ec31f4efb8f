import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { formatBytes, formatDuration } from '../../core/format';
import {
  areaPath,
  bars,
  chartSummary,
  linePath,
  linePoints,
  type Box,
  type ChartSample,
} from '../chart-geometry';

// The SVG stretches to the card's width (preserveAspectRatio="none"), so only shapes that may
// stretch are drawn: paths with non-scaling strokes and bars, no circles.
const WIDTH = 240;
const SIZE_BOX: Box = { x: 0, y: 3, width: WIDTH, height: 34 };
const DURATION_BOX: Box = { x: 0, y: 44, width: WIDTH, height: 20 };

/** Repository size (line) and duration (bars) of a job's recent backups. */
@Component({
  selector: 'app-run-chart',
  templateUrl: './run-chart.html',
  styleUrl: './run-chart.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunChart {
  /** Oldest first. */
  readonly samples = input.required<ChartSample[]>();

  protected readonly viewBox = `0 0 ${WIDTH} ${DURATION_BOX.y + DURATION_BOX.height}`;
  protected readonly summary = computed(() => chartSummary(this.samples()));
  protected readonly latest = computed(() => {
    const last = this.samples().at(-1);
    return last && { size: formatBytes(last.repositorySize), duration: formatDuration(last.durationMs) };
  });
  protected readonly shapes = computed(() => {
    const samples = this.samples();
    const points = linePoints(
      samples.map((sample) => sample.repositorySize),
      SIZE_BOX,
    );
    return {
      line: linePath(points, SIZE_BOX),
      area: areaPath(points, SIZE_BOX),
      bars: bars(
        samples.map((sample) => sample.durationMs),
        DURATION_BOX,
        samples.length > 8 ? 3 : 6,
      ),
    };
  });
}

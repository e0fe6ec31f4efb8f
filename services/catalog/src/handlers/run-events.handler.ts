import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { RunFinished, RunStarted, SUBJECTS, type Logger } from '@cairn/contracts';
import type { EventOutcome } from '../repositories/event-stream.repository.js';
import { RunService } from '../services/run.service.js';
import { SnapshotService } from '../services/snapshot.service.js';
import { LOGGER } from '../tokens.js';

/** A finished event must say how the run ended. */
const FinishedEvent = RunFinished.refine((event) => event.status !== 'queued' && event.status !== 'running', {
  message: 'a finished run is neither queued nor running',
  path: ['status'],
});

/** Records run events from the EVENTS stream (the runners' side of a run's life). */
@Injectable()
export class RunEventsHandler {
  constructor(
    private readonly runs: RunService,
    private readonly snapshots: SnapshotService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handle(subject: string, payload: unknown): Promise<EventOutcome> {
    switch (subject) {
      case SUBJECTS.runStarted:
        return this.record(subject, RunStarted, payload, (event) => this.runs.recordStarted(event));
      case SUBJECTS.runFinished:
        return this.record(subject, FinishedEvent, payload, async (event) => {
          await this.runs.recordFinished(event);
          await this.snapshots.syncFromRun(event);
        });
      default:
        return 'done'; // Other run events are for other services.
    }
  }

  private async record<S extends z.ZodType>(
    subject: string,
    schema: S,
    payload: unknown,
    apply: (event: z.output<S>) => Promise<void>,
  ): Promise<EventOutcome> {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      // Redelivering it would fail the same way forever.
      const issue = parsed.error.issues[0];
      this.logger.warn(
        { subject, field: issue?.path.join('.'), problem: issue?.message },
        'invalid event dropped',
      );
      return 'reject';
    }
    await apply(parsed.data);
    return 'done';
  }
}

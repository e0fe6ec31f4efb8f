import { Inject, Injectable } from '@nestjs/common';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { SUBJECTS, type NatsConnection, type RunRequest } from '@cairn/contracts';
import { NATS } from '../system/tokens.js';

/** The JetStream work queue runners pull from. */
@Injectable()
export class RunQueue {
  private readonly js: JetStreamClient;

  constructor(@Inject(NATS) private readonly nc: NatsConnection) {
    this.js = jetstream(nc);
  }

  /** The message id is the run id: JetStream drops a duplicate publish of the same run. */
  async enqueue(request: RunRequest): Promise<void> {
    await this.js.publish(SUBJECTS.runRequest, JSON.stringify(request), { msgID: request.runId });
  }

  cancel(runId: string): void {
    this.nc.publish(SUBJECTS.runCancel(runId), '');
  }
}

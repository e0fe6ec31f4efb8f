import { Inject, Injectable } from '@nestjs/common';
import { receiveStream, type NatsConnection } from '@cairn/contracts';
import { NATS } from '../system/tokens.js';

/** Where a runner streams a download to: an inbox of this gateway's own. */
@Injectable()
export class DownloadStreams {
  constructor(@Inject(NATS) private readonly nc: NatsConnection) {}

  open(write: (bytes: Uint8Array) => Promise<void>): { inbox: string; done: Promise<void>; stop(): void } {
    return receiveStream(this.nc, write);
  }
}

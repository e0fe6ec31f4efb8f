import type { Delivery } from '@cairn/contracts';
import type { DeliveryEntity } from '../entities/delivery.entity.js';

export function toDelivery(entity: DeliveryEntity): Delivery {
  return {
    id: entity.id,
    reportKey: entity.reportKey,
    channelId: entity.channelId,
    attempt: entity.attempt,
    event: entity.event,
    level: entity.level,
    runId: entity.runId,
    jobId: entity.jobId,
    status: entity.status,
    subject: entity.subject,
    error: entity.error,
    durationMs: entity.durationMs,
    at: entity.at.toISOString(),
  };
}

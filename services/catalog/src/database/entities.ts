import { AdminEntity } from '../entities/admin.entity.js';
import { ChannelEntity } from '../entities/channel.entity.js';
import { DeliveryEntity } from '../entities/delivery.entity.js';
import { DestinationEntity } from '../entities/destination.entity.js';
import { JobEntity } from '../entities/job.entity.js';
import { OverdueLapseEntity } from '../entities/overdue-lapse.entity.js';
import { RunEntity } from '../entities/run.entity.js';
import { SessionEntity } from '../entities/session.entity.js';
import { SettingEntity } from '../entities/setting.entity.js';
import { SnapshotEntity } from '../entities/snapshot.entity.js';

// An explicit list, not a glob: TypeORM's glob loader does not work with ESM.
export const ENTITIES = [
  DestinationEntity,
  JobEntity,
  RunEntity,
  SnapshotEntity,
  SettingEntity,
  AdminEntity,
  ChannelEntity,
  DeliveryEntity,
  SessionEntity,
  OverdueLapseEntity,
];

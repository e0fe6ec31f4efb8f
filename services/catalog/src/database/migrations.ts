import { InitialSchema1795410425883 } from '../migrations/1795410425883-initial-schema.js';
import { JobRepositoryPath1795500000000 } from '../migrations/1795500000000-job-repository-path.js';
import { NotificationChannels1795600000000 } from '../migrations/1795600000000-notification-channels.js';
import { JobSourceGuard1795710000000 } from '../migrations/1795710000000-job-source-guard.js';
import { Sessions1795750000000 } from '../migrations/1795750000000-sessions.js';
import { OverdueLapses1795800000000 } from '../migrations/1795800000000-overdue-lapses.js';
import { Maintenance1795900000000 } from '../migrations/1795900000000-maintenance.js';
import { BandwidthLimits1796000000000 } from '../migrations/1796000000000-bandwidth-limits.js';
import { RepairRuns1796100000000 } from '../migrations/1796100000000-repair-runs.js';

// An explicit, ordered list, not a glob: TypeORM's glob loader does not work with ESM.
export const MIGRATIONS = [
  InitialSchema1795410425883,
  JobRepositoryPath1795500000000,
  NotificationChannels1795600000000,
  JobSourceGuard1795710000000,
  Sessions1795750000000,
  OverdueLapses1795800000000,
  Maintenance1795900000000,
  BandwidthLimits1796000000000,
  RepairRuns1796100000000,
];

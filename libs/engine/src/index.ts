export { CairnError, isCairnError, type ErrorDetail, type ErrorKind } from './errors.js';
export type { Backend, FileType, FileInfo, ByteRange, SaveOptions } from './backends/backend.js';
export { LocalBackend } from './backends/local.js';
export { openBackend, type BackendOptions, type BandwidthLimits } from './backends/open.js';
export type { S3Options, SftpOptions } from './backends/options.js';
export { fingerprint as hostKeyFingerprint } from './backends/host-key.js';
export { DEFAULT_RETRY, type RetryEvent, type RetryPolicy } from './backends/retry.js';
export { withTimeout } from './backends/timeout.js';
export {
  testBackend,
  type BackendTestOptions,
  type BackendTestResult,
  type BackendTestStep,
  type StepTiming,
} from './backends/tester.js';
export { DEFAULT_CHUNKER, type ChunkerParams } from './chunker/chunker.js';
export { COMPRESSION_MODES, parseCompressionMode, type CompressionMode } from './compression.js';
export { DEFAULT_KDF, type KdfParams } from './crypto/keys.js';
export {
  Repository,
  DEFAULT_PACK_SIZE,
  type InitOptions,
  type OpenOptions,
} from './repository/repository.js';
export { addKey, changePassword, listRepositoryKeys, removeKey } from './repository/keys-api.js';
export {
  backup,
  type BackupOptions,
  type BackupProgress,
  type BackupResult,
  type BackupWarning,
} from './archiver/archiver.js';
export { parseExcludeFile } from './archiver/excludes.js';
export { globMatcher } from './util/glob.js';
export {
  restore,
  type RestoreOptions,
  type RestoreProgress,
  type RestoreResult,
} from './restorer/restorer.js';
export { check, type CheckOptions, type CheckProblem, type CheckResult } from './checker/checker.js';
export { repositoryStats, snapshotStats, type RepositoryStats, type SnapshotStats } from './stats.js';
export {
  findSnapshot,
  listSnapshots,
  type BackupSummary,
  type Snapshot,
  type SnapshotRecord,
} from './snapshot/snapshot.js';
export { RepositoryLock, describeLock, type LockInfo, type LockOptions } from './lock/lock.js';
export { prune, type PruneOptions, type PruneResult } from './prune/prune.js';
export { walkTrees, referencedBlobs } from './tree/walk.js';
export { loadTree } from './tree/load.js';
export { nodeNameBytes, type Tree, type TreeNode, type NodeType } from './tree/tree.js';
export { PROGRAM_VERSION } from './version.js';
export { repairIndex, type RepairIndexResult } from './repair/repair-index.js';
export {
  repairSnapshots,
  type RepairSnapshotsOptions,
  type RepairedSnapshot,
} from './repair/repair-snapshots.js';
export { unlock } from './lock/unlock.js';
export {
  CLOCK_SPAN,
  DUPLICATI_SPAN,
  RESTIC_SPAN,
  parseDuration,
  parseSpan,
  type CalendarSpan,
  type SpanDialect,
} from './retention/duration.js';
export { TimeZone } from './retention/time-zone.js';
export { describeGroup, parseGroupBy, type GroupField, type GroupKey } from './retention/group-by.js';
export { parseDuplicatiPolicy, type PolicyFrame } from './retention/duplicati-policy.js';
export { parseKeepCount, validatePolicy, type KeepCount, type RetentionPolicy } from './retention/policy.js';
export type { RetentionCandidate } from './retention/rule.js';
export {
  applyRetention,
  NEWEST_REASON,
  type RetentionDecision,
  type RetentionGroup,
  type RetentionOptions,
} from './retention/apply.js';
export { forget, type ForgetOptions, type ForgetResult } from './retention/forget.js';
export {
  DEFAULT_SHRINKAGE_PERCENT,
  describeShrinkage,
  fileCount,
  ShrunkSourceError,
  sourceShrinkage,
  type SourceShrinkage,
} from './retention/shrinkage.js';
export { dump, fileContent } from './dump/dump.js';
export { find } from './find/find.js';
export { diffTrees, type Change, type DiffEntry } from './find/diff.js';
export { snapshotEntries, findEntry, type SnapshotEntry } from './tree/entries.js';
export { copySnapshots, sharesIds, type CopyOptions, type CopyResult } from './copy/copy.js';

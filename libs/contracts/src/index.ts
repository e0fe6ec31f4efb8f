export { SUBJECTS, STREAMS, BUCKETS, CONSUMERS } from './subjects.js';
export { CATALOG, NOTIFIER, RUNNER, SCHEDULER, type Endpoint } from './endpoints.js';
export * from './schemas/channel.js';
export * from './schemas/common.js';
export * from './schemas/delivery.js';
export * from './schemas/notification.js';
export * from './schemas/destination.js';
export * from './schemas/job.js';
export * from './schemas/run.js';
export * from './schemas/snapshot.js';
export { patchOf } from './schemas/patch.js';
export { loadConfig, ConfigError, env } from './runtime/config.js';
export { createLogger, type Logger } from './runtime/logger.js';
export { redactUrl } from './runtime/redact-url.js';
export { STARTUP_ENV, isNetworkError, untilReachable, type StartupWait } from './runtime/startup.js';
export { receiveStream, sendStream } from './runtime/byte-stream.js';
export {
  connectNats,
  NATS_ENV,
  checkNatsEnv,
  natsSettings,
  loadNatsSettings,
  request,
  serve,
  ensureStreams,
  ensureRunnerConsumer,
  RemoteError,
  isUnavailable,
  HandlerError,
  type NatsConnection,
  type NatsEnv,
  type NatsService,
  type NatsSettings,
} from './runtime/nats.js';
export {
  JetStreamConsumer,
  onMessage,
  type JetStreamConsumerOptions,
  type Settlement,
  type SubjectHandler,
} from './runtime/jetstream-consumer.js';
export {
  serveMetrics,
  metricsEnv,
  METRICS_PORTS,
  type MetricsEnv,
  type MetricsServer,
} from './runtime/metrics.js';
export { ServiceMessaging } from './runtime/messaging.js';
export { startService, type RunningService, type ServiceStart } from './runtime/service.js';
export { repositoryUrl, defaultRepositoryPath } from './repository-location.js';
export { overdueAfterMinutes, overdueState, type OverdueState } from './overdue.js';
export { CronSchedule, isTimeZone, scheduleProblem } from './rules/schedule.js';
export { countOf, formatBytes, formatDuration, listInWords } from './rules/units.js';
export { MIN_PASSPHRASE_LENGTH, passphraseProblem, passphraseStrength } from './rules/passphrase.js';
export { HEALTH_PROBES } from './health.js';
export {
  fromDuplicati,
  isDuplicatiExport,
  isEncryptedDuplicatiExport,
  type DuplicatiImport,
  type DuplicatiReading,
} from './duplicati/import.js';
export { API, LINK_ROUTES, ROUTES, TicketRequest } from './http/api.js';
export * from './http/bodies.js';
export {
  route,
  pathOf,
  urlOf,
  matchesPath,
  type Method,
  type Route,
  type RouteInput,
  type RouteOutput,
  type ValidInput,
} from './http/route.js';
export { openApiDocument } from './http/openapi.js';
export { serverSentEvents } from './http/events.js';
export { ApiError, ReplyMismatch, send, readReply } from './http/client.js';

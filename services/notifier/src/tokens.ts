/** Injection tokens for what main() hands the module: the configuration, the NATS connection, the logger. */
export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');
export const NATS = Symbol('NATS');
export const LOGGER = Symbol('LOGGER');
/** The ReportOrigin (host name, public URL) every report carries. */
export const ORIGIN = Symbol('ORIGIN');

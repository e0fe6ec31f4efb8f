/** Injection tokens for what main() hands the module: the configuration, the NATS connection, the logger. */
export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');
export const NATS = Symbol('NATS');
export const LOGGER = Symbol('LOGGER');

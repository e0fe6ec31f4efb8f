/** Injection tokens for what main() hands the module: the configuration, the NATS connection, the logger. */
export const RUNNER_CONFIG = Symbol('RUNNER_CONFIG');
export const NATS = Symbol('NATS');
export const LOGGER = Symbol('LOGGER');

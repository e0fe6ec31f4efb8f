/** Injection tokens for values built outside Nest (config, connections, logger). */
export const NATS = Symbol('NatsConnection');
export const LOGGER = Symbol('Logger');
export const CONFIG = Symbol('GatewayConfig');

// Types of eventually.mjs.
export declare function eventually<T>(check: () => T | Promise<T>, timeoutMs?: number): Promise<T>;

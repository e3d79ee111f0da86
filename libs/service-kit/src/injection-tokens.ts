/** Tokens for injected interfaces and values (our own classes are their own tokens). */
export const CLOCK = Symbol('Clock');
export const ID_GENERATOR = Symbol('IdGenerator');
export const SERVICE_NAME = Symbol('ServiceName');

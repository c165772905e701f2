export * from './address';
export * from './cart';
export * from './catalog';
export * from './common';
export * from './errors';
export * from './money';
export * from './order';
export * from './session';

export * from './common.js';
export * from './health.js';
export * from './scopes.js';
export * from './tasks.js';

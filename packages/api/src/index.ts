export * from './common.js';
export * from './health.js';
export * from './tasks.js';

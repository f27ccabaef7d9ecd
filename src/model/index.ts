/** The oddsgate data model: zod schemas are the source of truth, types are inferred from them. */
export * from './sport.js';
export * from './market.js';
export * from './event.js';
export * from './result.js';
export * from './source-status.js';
export * from './updates.js';

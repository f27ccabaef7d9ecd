export { Records, HOT_RESULTS, type RecordsHealth } from './service.js';
export { openRecordsDb, PREPARED, redactUrl, type RecordsDb, type RecordsDbOptions } from './db.js';
export { migrate } from './migrate.js';
export { DataDirLockedError, lockDataDir } from './lock.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export type { ArchivePage, ArchivePosition, ArchiveQuery } from './results.js';

import { restartSuite } from './restart-scenario.js';

// The real server, stopped with SIGTERM and started again on the same DATA_DIR (see restart-scenario.ts).
restartSuite('SIGTERM');

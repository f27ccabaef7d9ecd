import { restartSuite } from './restart-scenario.js';

// The real server, stopped with SIGKILL and started again on the same DATA_DIR (see restart-scenario.ts).
restartSuite('SIGKILL');

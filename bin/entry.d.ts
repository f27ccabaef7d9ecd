/** Types of bin/entry.js (for the tests). */
export declare const BUILD_MARKER: 'BUILD_COMPLETE';
export declare function chooseEntry(
  root: string,
  env?: NodeJS.ProcessEnv,
): { from: 'dist' | 'src'; file: string; note?: string };

/**
 * Why a target is not met on this machine, by target name (or its first word, e.g. "REST"), written after
 * reading the profiles of a real run. RESULTS.md prints the note beside the measured profile.
 */
export const TARGET_NOTES: Record<string, string> = {};

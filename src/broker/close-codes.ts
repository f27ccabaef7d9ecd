import { CLOSE_CODES, ERROR_CODES, type CloseCodeName, type ErrorCodeName } from '../contracts/ws/codes.js';

/**
 * The broker's close codes and protocol error codes, derived from their declarations (with meanings) in
 * src/contracts/ws/codes.ts: clients switch on these; they are part of the public contract.
 */

/** Close codes sent by the server, by name. */
export const CloseCode = Object.fromEntries(
  Object.entries(CLOSE_CODES).map(([name, spec]) => [name, spec.code]),
) as { readonly [N in CloseCodeName]: (typeof CLOSE_CODES)[N]['code'] };
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** The reason text sent with each close code (kept under 123 bytes, as RFC 6455 requires). */
export const CLOSE_REASONS = Object.fromEntries(
  Object.values(CLOSE_CODES).map((spec) => [spec.code, spec.reason]),
) as Readonly<Record<CloseCode, string>>;

/** Error codes of `{"type":"error","error","code"}` replies, by name. */
export const ErrorCode = Object.fromEntries(Object.keys(ERROR_CODES).map((name) => [name, name])) as {
  readonly [N in ErrorCodeName]: N;
};
export type ErrorCode = ErrorCodeName;

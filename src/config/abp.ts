import { z } from 'zod';

/** Shortest SECRETS_KEY accepted (the AES-256 key is derived from it with HKDF-SHA256). */
export const MIN_SECRETS_KEY_LENGTH = 32;

/**
 * The ABP surface (/abp): account credentials' encryption key and the WebSocket's timings. The defaults are
 * the document's (login within 30 s, ping every 30 s, close after 120 s without pong); tests shorten them.
 */
export const AbpSchema = z
  .object({
    /** Encrypts account credentials at rest; unset: a key file made once in DATA_DIR (see README). */
    secretsKey: z
      .string()
      .min(MIN_SECRETS_KEY_LENGTH, `SECRETS_KEY must be at least ${MIN_SECRETS_KEY_LENGTH} characters`)
      .optional(),
    /** Default requests per minute of a new key. */
    defaultRateLimit: z.coerce.number().int().min(1).max(1_000_000).default(60),
    wsLoginTimeoutMs: z.coerce.number().int().min(100).default(30_000),
    wsPingIntervalMs: z.coerce.number().int().min(100).default(30_000),
    wsPongTimeoutMs: z.coerce.number().int().min(100).default(120_000),
    /** An unacknowledged message (reliable delivery) is sent again after this long. */
    wsAckRedeliverMs: z.coerce.number().int().min(50).default(5_000),
    /** Betslip subscriptions: how long a GET /betslip keeps pushing price changes. */
    betslipWindowMs: z.coerce.number().int().min(100).default(60_000),
  })
  .prefault({});
export type AbpConfig = z.infer<typeof AbpSchema>;

/** Environment variable → config path of the ABP settings. */
export const ABP_ENV_KEYS: Readonly<Record<string, string>> = {
  SECRETS_KEY: 'abp.secretsKey',
  ABP_DEFAULT_RATE_LIMIT: 'abp.defaultRateLimit',
  ABP_WS_LOGIN_TIMEOUT_MS: 'abp.wsLoginTimeoutMs',
  ABP_WS_PING_INTERVAL_MS: 'abp.wsPingIntervalMs',
  ABP_WS_PONG_TIMEOUT_MS: 'abp.wsPongTimeoutMs',
  ABP_WS_ACK_REDELIVER_MS: 'abp.wsAckRedeliverMs',
  ABP_BETSLIP_WINDOW_MS: 'abp.betslipWindowMs',
};

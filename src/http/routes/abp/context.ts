/** The ABP client a request was authenticated as (set by the /abp scope's API-key hook). */
export interface AbpClient {
  /** The key's database id (never the key itself). */
  keyId: string;
  clientName: string;
  /** Allowed bookmaker slugs; empty means all. */
  bookmakers: readonly string[];
  /** Requests per minute (sliding window). */
  rateLimit: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    abpClient?: AbpClient;
  }
}

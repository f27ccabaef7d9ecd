import type { Config } from './config/index.js';

/**
 * The one line logged once the server listens: role, the URLs to open (dashboard, APIs, docs, readiness,
 * health; ROLE=ingest serves only health and metrics) and, when DIAMOND_PASSWORD was not set, the password
 * generated for this run (so a first run needs no search through the log).
 */
export function readyLine(
  config: Pick<Config, 'role' | 'host' | 'port'>,
  port: number,
  generatedPassword: string | null,
): string {
  const host =
    config.host === '0.0.0.0' || config.host === '::' || config.host === '' ? 'localhost' : config.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const urls =
    config.role === 'ingest' || config.role === 'history'
      ? [`health ${base}/api/v1/admin/health`, `ready ${base}/readyz`, `metrics ${base}/metrics`]
      : [
          `dashboard ${base}/`,
          `Diamond ${base}/api/v2/diamond`,
          `feed ${base}/api/v1/feed`,
          `docs ${base}/docs`,
          `ws ${base.replace('http', 'ws')}/ws`,
          `ready ${base}/readyz`,
        ];
  const pw =
    generatedPassword !== null && config.role !== 'ingest' && config.role !== 'history'
      ? ` · Diamond password (generated for this run; set DIAMOND_PASSWORD to choose): ${generatedPassword}`
      : '';
  return `ready (role ${config.role}): ${urls.join(' · ')}${pw}`;
}

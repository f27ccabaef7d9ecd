/** HTML pages of the simulated site: the app shell and the pages its fault modes serve instead. */

/** CSS class names the app gives its market sections; the "selector" fault swaps them for new ones. */
export interface SiteClasses {
  matchOdds: string;
  bookmaker: string;
  fancy: string;
}

/** The class names of the normal layout (what config/sites/imatchodds.json expects). */
export const NORMAL_CLASSES: SiteClasses = {
  matchOdds: 'market-mo',
  bookmaker: 'market-bm',
  fancy: 'market-fancy',
};

/** The class names after a simulated site redesign. */
export const CHANGED_CLASSES: SiteClasses = {
  matchOdds: 'mkt-odds-v2',
  bookmaker: 'mkt-bm-v2',
  fancy: 'mkt-session-v2',
};

/** Settings the app reads from `window.__SITE__`. */
export interface AppSettings {
  refreshMs: number;
  matchRefreshMs: number;
  classes: SiteClasses;
}

function escapeScriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

/** The single-page app shell: Vue from node_modules, then the app. */
export function appShell(settings: AppSettings): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Silver Exchange</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<div id="app"></div>
<script>window.__SITE__ = ${escapeScriptJson(settings)};</script>
<script src="/assets/vue.global.prod.js"></script>
<script src="/assets/app.js"></script>
</body>
</html>
`;
}

/** The 403 page of a blocking CDN. */
export const FORBIDDEN_PAGE = `<!doctype html>
<html><head><title>403 Forbidden</title></head>
<body><h1>403 Forbidden</h1><p>Access denied. Your IP address has been blocked.</p></body></html>
`;

/** A bot-check interstitial like the ones CDNs serve (status 200, no app). */
export const CHALLENGE_PAGE = `<!doctype html>
<html><head><title>Just a moment...</title></head>
<body><div id="challenge-running"><h1>Checking your browser before accessing the site.</h1>
<form id="challenge-form" action="/" method="POST"><input type="hidden" name="cf_chl" value="1"></form>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p></div></body></html>
`;

/** An empty document: the app never mounts. */
export const BLANK_PAGE = '<!doctype html><html><head><title></title></head><body></body></html>\n';

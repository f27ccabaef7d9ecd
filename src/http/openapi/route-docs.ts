import { ABP_ORDER_DOCS } from './docs-abp-orders.js';
import { ABP_ADMIN_DOCS, ABP_DOCS } from './docs-abp.js';
import { ADMIN_DOCS } from './docs-admin.js';
import { DIAMOND_DOCS } from './docs-diamond.js';
import { DIAMOND_BETTING_DOCS } from './docs-diamond-betting.js';
import { FEED_DOCS } from './docs-feed.js';
import { HISTORY_DOCS } from './docs-history.js';
import { MM_DOCS } from './docs-mm.js';
import { OPS_DOCS } from './docs-ops.js';
import type { RouteDocs } from './route-doc.js';

/** Every documented route, by `METHOD /route/pattern`. */
export const ROUTE_DOCS: RouteDocs = {
  ...OPS_DOCS,
  ...FEED_DOCS,
  ...ADMIN_DOCS,
  ...DIAMOND_DOCS,
  ...HISTORY_DOCS,
  ...DIAMOND_BETTING_DOCS,
  ...ABP_ORDER_DOCS,
  ...ABP_DOCS,
  ...ABP_ADMIN_DOCS,
  ...MM_DOCS,
};

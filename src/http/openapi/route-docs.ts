import { ABP_ORDER_DOCS } from './docs-abp-orders.js';
import { ABP_ADMIN_DOCS, ABP_DOCS } from './docs-abp.js';
import { DIAMOND_BETTING_DOCS } from './docs-diamond-betting.js';
import { HISTORY_DOCS } from './docs-history.js';
import { MM_DOCS } from './docs-mm.js';
import type { RouteDocs } from './route-doc.js';

/** Every documented route, by `METHOD /route/pattern`. */
export const ROUTE_DOCS: RouteDocs = {
  ...HISTORY_DOCS,
  ...DIAMOND_BETTING_DOCS,
  ...ABP_ORDER_DOCS,
  ...ABP_DOCS,
  ...ABP_ADMIN_DOCS,
  ...MM_DOCS,
};

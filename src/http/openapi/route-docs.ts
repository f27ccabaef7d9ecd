import { OPS_DOCS } from './docs-ops.js';
import type { RouteDocs } from './route-doc.js';

/** Every documented route, by `METHOD /route/pattern`. */
export const ROUTE_DOCS: RouteDocs = { ...OPS_DOCS };

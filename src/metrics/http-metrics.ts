import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Metric, Registry } from 'prom-client';

/** Latency buckets (seconds): sub-millisecond cached reads up to slow scrapes. */
export const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const HTTP_METRIC_NAME = 'oddsgate_http_request_duration_seconds';
const HELP = 'HTTP request latency by route pattern, method and status code.';

type Labels = 'method' | 'route' | 'status_code';

/** A sample as prom-client's registry formats it (the shape its Histogram's `get()` returns). */
export interface HistogramSample {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
}

/** What `get()` returns: prom-client's metric object (its typings name the type with a numeric enum). */
export interface HistogramSnapshot {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: HistogramSample[];
}

/** One label set's counts: per bucket (not cumulative; the last slot is above every bound), sum, count. */
class Series {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Record<Labels, string>,
    buckets: number,
  ) {
    this.counts = new Float64Array(buckets + 1);
  }
}

/**
 * A histogram with fixed label names (method, route, status_code), counted into one array per label set
 * found through nested maps (route → method → status), so an observation allocates nothing and hashes no
 * label object — prom-client's `Histogram.observe` sorts and joins the labels on every call. It is a
 * prom-client metric (registered in the registry, read at scrape by `get()`), and its exposition is the
 * one a prom-client Histogram with the same name, help, buckets and observations gives: label sets in the
 * order first observed, `_bucket` cumulative with `le` per bound and `+Inf`, then `_sum` and `_count`.
 */
export class RouteLatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly byRoute = new Map<string, Map<string, Map<number, Series>>>();
  /** Every series in the order first observed (the exposition order). */
  private readonly all: Series[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  /** Counts one response of `route` (a route pattern), `method` and `status` that took `seconds`. */
  observe(route: string, method: string, status: number, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    let byMethod = this.byRoute.get(route);
    if (byMethod === undefined) this.byRoute.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let s = byStatus.get(status);
    if (s === undefined) {
      s = new Series({ method, route, status_code: String(status) }, this.buckets.length);
      byStatus.set(status, s);
      this.all.push(s);
    }
    const b = this.buckets;
    let i = 0;
    while (i < b.length && seconds > (b[i] as number)) i++;
    (s.counts[i] as number)++;
    s.sum += seconds;
    s.count++;
  }

  /** The metric as prom-client's registry reads it for the text exposition. */
  async getForPromString(): Promise<HistogramSnapshot> {
    return this.snapshot(false);
  }

  /** The metric as prom-client's `getMetricsAsJSON` reads it (labels merged). */
  async get(): Promise<HistogramSnapshot> {
    return this.snapshot(true);
  }

  /**
   * The samples in prom-client Histogram's shape: `_bucket` samples carry `le` in `labels` and the label
   * set in `sharedLabels` (so `le` prints first), merged into `labels` when `merged`.
   */
  private snapshot(merged: boolean): HistogramSnapshot {
    const values: HistogramSample[] = [];
    const bucket = `${this.name}_bucket`;
    const sample = (le: number | string | null, value: number, metricName: string, s: Series) => {
      const own: Record<string, string | number> = le === null ? {} : { le };
      values.push(
        merged
          ? { labels: Object.assign(own, s.labels), value, metricName }
          : { labels: own, sharedLabels: s.labels, value, metricName },
      );
    };
    for (const s of this.all) {
      let acc = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        acc += s.counts[i] as number;
        sample(this.buckets[i] as number, acc, bucket, s);
      }
      sample('+Inf', s.count, bucket, s);
      sample(null, s.sum, `${this.name}_sum`, s);
      sample(null, s.count, `${this.name}_count`, s);
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  /** Drops every series (prom-client's `reset`). */
  reset(): void {
    this.byRoute.clear();
    this.all.length = 0;
  }
}

/**
 * `oddsgate_http_request_duration_seconds{method,route,status_code}`: every HTTP response, labelled by the
 * route pattern (never the raw URL, so ids cannot grow the series) or `unmatched`.
 */
export function instrumentHttp(app: FastifyInstance, registry: Registry): RouteLatencyHistogram {
  const latency = new RouteLatencyHistogram(HTTP_METRIC_NAME, HELP, HTTP_BUCKETS);
  registry.registerMetric(latency as unknown as Metric<Labels>);
  // A callback hook (no promise per response).
  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    latency.observe(
      req.routeOptions.url ?? 'unmatched',
      req.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  return latency;
}

import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

import type { CircuitStateName, RestClientObserver } from '../rest/RestClientObserver.js';
import { BoundedLabel } from './BoundedLabel.js';
import { durationBuckets } from './serviceMetrics.js';
import type { ServiceMetrics } from './serviceMetrics.js';

/** The circuit as a number, so that a dashboard can plot it and an alert can say `> 0`. */
const circuitValues: Record<CircuitStateName, number> = { closed: 0, 'half-open': 0.5, open: 1 };

const observers = new WeakMap<Registry, Required<RestClientObserver>>();

/**
 * The upstream series of a service, as a `RestClientObserver` to hand to its
 * upstream client(s): `upstream_request_duration_seconds`,
 * `upstream_retries_total` and `upstream_circuit_state`. One per registry
 * (every upstream client of the service shares it).
 */
export function upstreamMetricsObserver(
  metrics: ServiceMetrics | Registry,
): Required<RestClientObserver> {
  const registry = 'registry' in metrics ? metrics.registry : metrics;
  let observer = observers.get(registry);
  if (!observer) {
    observer = createObserver(registry);
    observers.set(registry, observer);
  }
  return observer;
}

function createObserver(registry: Registry): Required<RestClientObserver> {
  const duration = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Calls to an upstream REST API, retries included, by upstream, route (the call site, e.g. "GET /orders/:id") and outcome.',
    labelNames: ['upstream', 'route', 'outcome'],
    buckets: durationBuckets,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'upstream_retries_total',
    help: 'Retries of upstream calls, by upstream, route and the reason the attempt before failed.',
    labelNames: ['upstream', 'route', 'reason'],
    registers: [registry],
  });
  const circuit = new Gauge({
    name: 'upstream_circuit_state',
    help: "Each upstream's circuit breaker: 0 closed, 0.5 half-open, 1 open (failing fast).",
    labelNames: ['upstream'],
    registers: [registry],
  });
  // Routes and reasons are written in code, but a route built from a path
  // (RestClient's fallback when a call site names none) could carry an id:
  // bound them like any label that does not come from a fixed list.
  const routes = new BoundedLabel();
  const reasons = new BoundedLabel(50);
  const outcomes = new BoundedLabel(50);
  // Upstreams whose circuit has a value: a breaker that never changed state
  // says nothing, but "closed" should still be on the dashboard.
  const circuits = new Set<string>();
  // Every hook present: RestClient calls them through `notify`, which also
  // keeps a throwing hook from breaking a call.
  return {
    callCompleted({ upstream, route, outcome, durationMs }) {
      if (!circuits.has(upstream)) {
        circuits.add(upstream);
        circuit.set({ upstream }, 0);
      }
      duration.observe(
        { upstream, route: routes.of(route), outcome: outcomes.of(outcome) },
        durationMs / 1_000,
      );
    },
    retried({ upstream, route, reason }) {
      retries.inc({ upstream, route: routes.of(route), reason: reasons.of(reason) });
    },
    circuitChanged({ upstream, state }) {
      circuits.add(upstream);
      circuit.set({ upstream }, circuitValues[state]);
    },
  };
}

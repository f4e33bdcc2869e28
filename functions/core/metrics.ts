import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

/**
 * The business events the stage counts (issue 15), as CloudWatch metrics: each is counted where
 * the domain commits it, never on a replay, and written with the invocation's other counts as
 * one Embedded Metric Format log line when the invocation ends — no PutMetricData call, no
 * permission, no latency. Namespace and the `service` dimension come from
 * POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME (infra/constructs/manager-function.ts).
 */
export const BUSINESS_EVENTS = [
  'OrdersPlaced',
  'InvoicesPaid',
  'RemindersSent',
  'InvitationsAccepted',
  'DeletionsDone',
] as const;
export type BusinessEvent = (typeof BUSINESS_EVENTS)[number];

const metrics = new Metrics();

/**
 * Counts `value` occurrences of a business event in this invocation (nothing for 0). The account
 * it concerns, if one, is written beside the count (EMF metadata: searchable in the logs, not a
 * dimension, which would make a metric per account).
 */
export function count(event: BusinessEvent, value = 1, about: { organizationId?: string } = {}): void {
  if (value <= 0) return;
  metrics.addMetric(event, MetricUnit.Count, value);
  if (about.organizationId) metrics.addMetadata('organizationId', about.organizationId);
}

/**
 * Writes what the invocation counted when it ends, whether it answered or failed (an order
 * committed before a later error was still placed). An invocation that counted nothing writes
 * nothing.
 */
export const publishMetrics = <E, R>(): middy.MiddlewareObj<E, R> => {
  const publish = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
};

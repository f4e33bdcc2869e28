import { describe, expect, it } from 'vitest';
import { emfSplitter, type LocalMetric, metricsOfLine } from '../../../infra/local/metrics.ts';

/** A line as Powertools Metrics writes it: one count, the service dimension, one metadata member. */
const LINE = JSON.stringify({
  _aws: {
    Timestamp: 1_790_000_000_000,
    CloudWatchMetrics: [
      { Namespace: 'Manager', Dimensions: [['service']], Metrics: [{ Name: 'OrdersPlaced', Unit: 'Count' }] },
    ],
  },
  service: 'manager',
  OrdersPlaced: 1,
  organizationId: 'org-1',
});

describe('EMF lines, as CloudWatch reads them', () => {
  it('makes a data point of each metric and dimension set, with the line’s other members beside it', () => {
    expect(metricsOfLine(LINE, 'PlaceOrder')).toEqual([
      {
        namespace: 'Manager',
        name: 'OrdersPlaced',
        unit: 'Count',
        values: [1],
        dimensions: { service: 'manager' },
        properties: { organizationId: 'org-1' },
        functionName: 'PlaceOrder',
      },
    ]);
  });

  it('leaves a line that is not valid EMF a log line: no timestamp, a dimension that is no string, no value', () => {
    const line = JSON.parse(LINE);
    const without = (change: (l: typeof line) => void) => {
      const copy = structuredClone(line);
      change(copy);
      return metricsOfLine(JSON.stringify(copy), 'PlaceOrder');
    };

    expect(without((l) => delete l._aws.Timestamp)).toBeUndefined();
    expect(without((l) => (l.service = 7))).toBeUndefined();
    expect(without((l) => delete l.OrdersPlaced)).toBeUndefined();
    expect(metricsOfLine('{"level":"INFO","message":"hello"}', 'PlaceOrder')).toBeUndefined();
  });

  it('reads a function’s output line by line across chunks, and writes on all that is not EMF', () => {
    const written: string[] = [];
    const recorded: LocalMetric[] = [];
    const feed = emfSplitter(
      'PlaceOrder',
      (t) => written.push(t),
      (p) => recorded.push(...p),
    );

    feed(`{"level":"INFO"}\n${LINE.slice(0, 40)}`);
    feed(`${LINE.slice(40)}\nplain`);
    feed(' text\n');

    expect(written.join('')).toBe('{"level":"INFO"}\nplain text\n');
    expect(recorded.map((m) => m.name)).toEqual(['OrdersPlaced']);
  });
});

/**
 * What CloudWatch makes of a function's Embedded Metric Format log lines (issue 15): each valid
 * EMF line becomes data points of its namespace, metric names and dimension sets; a line that
 * is not valid EMF stays a log line and makes no metric, as in CloudWatch Logs. The local
 * stack keeps the data points (control endpoint `GET /metrics`) instead of printing the lines.
 */
export interface LocalMetric {
  namespace: string;
  name: string;
  unit: string;
  /** Every value the line gives (EMF allows an array of values per metric). */
  values: number[];
  dimensions: Record<string, string>;
  /** The line's other members (EMF metadata), e.g. the account an event concerns. */
  properties: Record<string, unknown>;
  functionName: string;
}

interface EmfDirective {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics?: unknown;
}

/** The data points of one log line, or undefined when it is not valid EMF. */
export function metricsOfLine(line: string, functionName: string): LocalMetric[] | undefined {
  if (!line.startsWith('{') || !line.includes('"_aws"')) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const meta = record._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (typeof meta?.Timestamp !== 'number' || !Array.isArray(meta.CloudWatchMetrics)) return undefined;
  const points: LocalMetric[] = [];
  const names = new Set<string>();
  for (const directive of meta.CloudWatchMetrics as EmfDirective[]) {
    if (typeof directive.Namespace !== 'string' || !Array.isArray(directive.Metrics)) return undefined;
    const sets = (Array.isArray(directive.Dimensions) ? directive.Dimensions : [[]]) as unknown[];
    for (const metric of directive.Metrics as { Name?: unknown; Unit?: unknown }[]) {
      const value = record[String(metric.Name)];
      const values = (Array.isArray(value) ? value : [value]).filter(
        (v): v is number => typeof v === 'number',
      );
      if (typeof metric.Name !== 'string' || !values.length) return undefined;
      names.add(metric.Name);
      for (const set of sets) {
        if (!Array.isArray(set)) return undefined;
        const dimensions: Record<string, string> = {};
        for (const key of set) {
          const dimension = record[String(key)];
          // A dimension must be a string member of the line (CloudWatch drops the line otherwise).
          if (typeof dimension !== 'string') return undefined;
          dimensions[String(key)] = dimension;
        }
        points.push({
          namespace: directive.Namespace,
          name: metric.Name,
          unit: typeof metric.Unit === 'string' ? metric.Unit : 'None',
          values,
          dimensions,
          properties: {},
          functionName,
        });
      }
    }
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === '_aws' || names.has(key)) continue;
    for (const point of points) if (!(key in point.dimensions)) point.properties[key] = value;
  }
  return points;
}

/**
 * A function's stdout, line by line: EMF lines become metrics, everything else is written on.
 * A chunk may end mid-line; the rest of the line waits for the next chunk.
 */
export function emfSplitter(
  functionName: string,
  write: (text: string) => void,
  record: (points: LocalMetric[]) => void,
) {
  let pending = '';
  return (chunk: Buffer | string) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    let passed = '';
    for (const line of lines) {
      const points = metricsOfLine(line, functionName);
      if (points) record(points);
      else passed += `${line}\n`;
    }
    if (passed) write(passed);
  };
}

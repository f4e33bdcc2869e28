/**
 * The README's benchmark table, made from bench/results.json (issue 16): `npm run bench` writes
 * both, and a test holds the README to the committed results, so no figure there is typed.
 */
interface RouteCount {
  route: string;
  requests: number;
  readUnits?: number;
  writeUnits?: number;
  costPerMillionUsd?: number;
  dynamodbCostPerMillionUsd?: number;
}
interface ReminderRun {
  productsStored: number;
  productsDue: number;
  accountsDue: number;
  dynamodbRequests: number;
  requestsPerDueProduct?: number;
  writeRequestsPerDueProduct?: number;
  itemsReadPerDueProduct: number;
  emailsSent: number;
  longestShardStepOfTimeout?: number;
  readUnitsPerDueProduct?: number;
  writeUnitsPerDueProduct?: number;
  costPerReminderDayAt1MUsd?: number;
}
export interface BenchResults {
  dynamodbPerRoute: RouteCount[];
  reminderRun: ReminderRun;
  reminderRunOneDuePerAccount?: ReminderRun;
  reminderRunAtScale?: ReminderRun;
  stateTransitions: {
    invitationAccepted: number;
    reminderRun: number;
    reminderPerEmail: number;
    deletion: number;
  };
  initAndFirstCall?: {
    route: string;
    initAndFirstCallMs: number;
    bareSdkMs: number;
    ratio: number;
    cpuMs?: number;
    bareSdkCpuMs?: number;
    cpuRatio?: number;
    loadCpuMs?: number;
    bareSdkLoadCpuMs?: number;
  }[];
  initTime: {
    emptyHandlerMs: number;
    bareSdkHandlerMs?: number;
    functions: { entry: string; initMs: number }[];
  };
  proForma: { medianMs: number; bytes: number };
  apiLatency: { route: string; concurrency: number; requests: number; p50Ms: number; p99Ms: number };
}

export const BENCH_START = '<!-- bench:start (npm run bench writes this table from bench/results.json) -->';
export const BENCH_END = '<!-- bench:end -->';

const n = (value: number) => value.toLocaleString('en-US');

function reminderRow(label: string, run: ReminderRun | undefined): string[] {
  if (!run) return [];
  const parts = [
    `${n(run.dynamodbRequests)} requests, ${run.requestsPerDueProduct ?? '–'} per due product`,
    `per due product ${run.writeRequestsPerDueProduct ?? '–'} write requests, ${run.itemsReadPerDueProduct} items read`,
    `${n(run.emailsSent)} e-mails`,
    ...(run.readUnitsPerDueProduct === undefined
      ? []
      : [`${run.readUnitsPerDueProduct} read + ${run.writeUnitsPerDueProduct} write units`]),
    ...(run.longestShardStepOfTimeout === undefined
      ? []
      : [`longest step ${(run.longestShardStepOfTimeout * 100).toFixed(1)} % of its timeout`]),
    ...(run.costPerReminderDayAt1MUsd === undefined
      ? []
      : [`$${run.costPerReminderDayAt1MUsd} per reminder day at 1M customers`]),
  ];
  return [
    `| reminder run, ${label}: ${n(run.productsStored)} stored, ${n(run.productsDue)} due over ${n(run.accountsDue)} accounts | ${parts.join('; ')} |`,
  ];
}

/** The table's rows (markdown), header included. */
export function benchTable(results: BenchResults): string {
  const counts = results.dynamodbPerRoute.map((r) => r.requests);
  const order = results.dynamodbPerRoute.find((r) => r.route === 'POST /v1/orders');
  const single = counts.filter((c) => c <= 1).length;
  const inits = results.initTime.functions.map((f) => f.initMs).sort((a, b) => a - b);
  const median = inits[Math.floor(inits.length / 2)] ?? 0;
  const t = results.stateTransitions;
  const priced = results.dynamodbPerRoute.filter((r) => r.costPerMillionUsd !== undefined);
  const range = (values: number[]) => `${Math.min(...values)}–${Math.max(...values)}`;
  const billing = priced.length
    ? [
        `| billed units per API call (DynamoDB on demand) | read ${range(priced.map((r) => r.readUnits ?? 0))}, write ${range(priced.map((r) => r.writeUnits ?? 0))}; placing an order ${order?.readUnits ?? '–'} read + ${order?.writeUnits ?? '–'} write |`,
        `| cost per 1M calls (list prices: DynamoDB, HTTP API, Lambda at this machine's durations) | $${range(priced.map((r) => r.costPerMillionUsd ?? 0))}; placing an order $${order?.costPerMillionUsd ?? '–'} (DynamoDB $${order?.dynamodbCostPerMillionUsd ?? '–'}) |`,
      ]
    : [];
  const firstCalls = results.initAndFirstCall
    ? [
        `| init + first call as deployed / bare SDK handler (wall time; CPU time) | ${results.initAndFirstCall.map((f) => `${f.route} ${f.ratio}×${f.cpuRatio ? ` (CPU ${f.cpuRatio}×)` : ''}`).join('; ')} |`,
      ]
    : [];
  const rows = [
    '| measure | result (committed run) |',
    '| --- | --- |',
    `| DynamoDB requests per API call, all ${counts.length} routes | ${Math.min(...counts)}–${Math.max(...counts)}; ${single} routes at 0 or 1; placing an order ${order?.requests ?? '–'} |`,
    ...billing,
    ...reminderRow('10 due per account', results.reminderRun),
    ...reminderRow('1 due per account', results.reminderRunOneDuePerAccount),
    ...reminderRow('at scale', results.reminderRunAtScale),
    `| state transitions | invitation sent + accepted ${t.invitationAccepted}, reminder run ${t.reminderRun} (${t.reminderPerEmail} per e-mail), deletion ${t.deletion} |`,
    `| bundled init time (module load) | median ${median} ms, ${inits[0]}–${inits[inits.length - 1]} ms; empty handler ${results.initTime.emptyHandlerMs} ms${
      results.initTime.bareSdkHandlerMs === undefined
        ? ''
        : `, bare SDK handler ${results.initTime.bareSdkHandlerMs} ms`
    } |`,
    ...firstCalls,
    `| pro-forma PDF with QR-bill | median ${results.proForma.medianMs} ms, ${(results.proForma.bytes / 1024).toFixed(1)} KB |`,
    `| \`${results.apiLatency.route}\`, ${results.apiLatency.concurrency} concurrent, ${n(results.apiLatency.requests)} calls (local front) | p50 ${results.apiLatency.p50Ms} ms, p99 ${results.apiLatency.p99Ms} ms |`,
  ];
  return rows.join('\n');
}

/** The README with its table replaced by the one `results` make. */
export function withBenchTable(readme: string, results: BenchResults): string {
  const start = readme.indexOf(BENCH_START);
  const end = readme.indexOf(BENCH_END);
  if (start < 0 || end < start) throw new Error('README.md has no benchmark table markers');
  return `${readme.slice(0, start + BENCH_START.length)}\n\n${benchTable(results)}\n\n${readme.slice(end)}`;
}

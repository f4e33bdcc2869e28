/**
 * List prices the bench prices its measurements with (issue 16), in US dollars: DynamoDB on
 * demand, Step Functions Standard, Lambda on arm64, HTTP API, SES. Regional prices differ
 * (Zurich is dearer than the list); the ratios between routes do not.
 */
export const PRICES = {
  readUnit: 0.125 / 1e6,
  writeUnit: 0.625 / 1e6,
  stateTransition: 25 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  httpApiRequest: 1 / 1e6,
  email: 0.1 / 1000,
} as const;

export interface Usage {
  readUnits?: number;
  writeUnits?: number;
  transitions?: number;
  lambdaInvocations?: number;
  /** Billed Lambda time, milliseconds, at `memoryMb`. */
  lambdaMs?: number;
  memoryMb?: number;
  apiRequests?: number;
  emails?: number;
}

/** What the usage costs, in dollars. */
export function cost(usage: Usage): number {
  return (
    (usage.readUnits ?? 0) * PRICES.readUnit +
    (usage.writeUnits ?? 0) * PRICES.writeUnit +
    (usage.transitions ?? 0) * PRICES.stateTransition +
    (usage.lambdaInvocations ?? 0) * PRICES.lambdaRequest +
    ((usage.lambdaMs ?? 0) / 1000) * ((usage.memoryMb ?? 0) / 1024) * PRICES.lambdaGbSecond +
    (usage.apiRequests ?? 0) * PRICES.httpApiRequest +
    (usage.emails ?? 0) * PRICES.email
  );
}

/** Dollars rounded to the cent's hundredth, for tables. */
export const dollars = (value: number) => Number(value.toFixed(4));

import { AsyncLocalStorage } from 'node:async_hooks';

/** What the code running now was called for: the API route (`GET /v1/me`), if any. */
interface RequestContext {
  route: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` as the handling of `route`; the audit trail records it (issue 13). */
export const withRequestContext = <T>(context: RequestContext, fn: () => Promise<T>): Promise<T> =>
  storage.run(context, fn);

/** The route being handled, or undefined in a workflow step. */
export const currentRoute = (): string | undefined => storage.getStore()?.route;

import type { LocalStackInfo } from '../../infra/local/stack.ts';

/** In a mutation run, the in-process front replaces the local stack's API and endpoints. */
let override: LocalStackInfo | undefined;

export const localOverride = () => override;
export function useLocal(info: LocalStackInfo): void {
  override = info;
}

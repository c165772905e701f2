import type { LoadResult } from '../load';

/** One measured HTTP load and what it means. */
export interface HttpScenario {
  id: string;
  title: string;
  /** What was sent, in a sentence. */
  what: string;
  load: LoadResult;
  /**
   * The figure a target is stated in, per second: orders created, notifies acknowledged; for reads, every answer.
   * Equal to load.rps when every answer counts.
   */
  unitsPerSec: number;
  unit: string;
  /** Scenario-specific counts (orders created, refusals, trades notified ...). */
  facts: Record<string, number>;
}

/** Rotates through a list. */
export function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to cycle through');
  let i = 0;
  return () => items[i++ % items.length]!;
}

import { z } from 'zod';
import type { Deps } from '../deps';
import type { FaultRecord } from '../store/faults.repo';

/**
 * Misbehaviour on purpose, the way the real network and gateway misbehave, so the shop can prove it survives:
 * lost, duplicated, late, reordered and forged notifies; gateway calls that fail, hang, or succeed without the
 * client ever hearing. Faults persist (they survive a restart) until used up or cleared.
 *
 * `count` is how many notify attempts or gateway calls a fault applies to; without it the fault lasts until
 * `DELETE /sandbox/faults`.
 */

const count = z.int().min(1).max(10_000);
const methods = z.array(z.string().regex(/^[a-z]+(\.[a-z]+)+$/, 'must be gateway method names')).min(1);

export const FaultSpec = z.discriminatedUnion('kind', [
  /** The sender believes the attempt failed (nothing reaches the shop) and retries on schedule. */
  z.strictObject({ kind: z.literal('notify-drop'), count: count.optional() }),
  /** Each attempt is sent `copies` times concurrently. */
  z.strictObject({
    kind: z.literal('notify-duplicate'),
    copies: z.int().min(2).max(20),
    count: count.optional(),
  }),
  /** Each attempt waits `delayMs` before it is sent. */
  z.strictObject({
    kind: z.literal('notify-delay'),
    delayMs: z.int().min(1).max(600_000),
    count: count.optional(),
  }),
  /** Holds the next `count` notifies, then sends them in reverse order. */
  z.strictObject({ kind: z.literal('notify-reorder'), count: z.int().min(2).max(50) }),
  /** `signature`: a corrupted sign. `amount`: total_amount changed and signed with a key that is not Alipay's. */
  z.strictObject({
    kind: z.literal('notify-tamper'),
    mode: z.enum(['signature', 'amount']),
    count: count.optional(),
  }),
  /** Answers `20000 isp.unknow-error` without applying the call. */
  z.strictObject({ kind: z.literal('gateway-error'), count: count.optional(), methods: methods.optional() }),
  /** Holds the call for `holdMs` (or until the client gives up) without applying it, then answers 20000. */
  z.strictObject({
    kind: z.literal('gateway-hang'),
    holdMs: z.int().min(1).max(600_000).optional(),
    count: count.optional(),
    methods: methods.optional(),
  }),
  /** Applies the call, then destroys the connection without answering: the client cannot know the outcome. */
  z.strictObject({
    kind: z.literal('gateway-drop-after-apply'),
    count: count.optional(),
    methods: methods.optional(),
  }),
]);
export type FaultSpec = z.infer<typeof FaultSpec>;
export type FaultKind = FaultSpec['kind'];

const GATEWAY_KINDS: readonly FaultKind[] = ['gateway-error', 'gateway-hang', 'gateway-drop-after-apply'];

export interface FaultView {
  id: number;
  kind: string;
  params: Record<string, unknown>;
  /** Uses left; null until cleared. */
  remaining: number | null;
  used: number;
  createdAt: string;
}

export function faultView(fault: FaultRecord): FaultView {
  return {
    id: fault.id,
    kind: fault.kind,
    params: fault.params,
    remaining: fault.remaining,
    used: fault.used,
    createdAt: fault.createdAt.toISOString(),
  };
}

export function addFault(deps: Deps, spec: FaultSpec): FaultRecord {
  const { kind, count, ...params } = spec;
  const fault = deps.store.faults.insert(kind, params, count ?? null, deps.clock.now());
  deps.logger.warn({ fault: faultView(fault) }, 'fault injected');
  return fault;
}

export type GatewayFault =
  | { kind: 'gateway-error'; id: number }
  | { kind: 'gateway-hang'; id: number; holdMs: number | undefined }
  | { kind: 'gateway-drop-after-apply'; id: number };

/** Takes one use of the first gateway fault that applies to `method`, if any. */
export function takeGatewayFault(deps: Deps, method: string): GatewayFault | null {
  const { faults } = deps.store;
  return deps.store.transaction(() => {
    for (const fault of faults.list()) {
      if (!GATEWAY_KINDS.includes(fault.kind as FaultKind)) continue;
      const only = fault.params.methods as string[] | undefined;
      if (only && !only.includes(method)) continue;
      if (!faults.consume(fault.id)) continue;
      if (fault.kind === 'gateway-hang') {
        return { kind: 'gateway-hang', id: fault.id, holdMs: fault.params.holdMs as number | undefined };
      }
      return { kind: fault.kind as 'gateway-error' | 'gateway-drop-after-apply', id: fault.id };
    }
    return null;
  });
}

export interface NotifyFaults {
  drop: boolean;
  delayMs: number;
  copies: number;
  tamper: 'signature' | 'amount' | null;
  /** Labels recorded on the attempt, e.g. `notify-drop#3`. */
  labels: string[];
}

/** Takes one use of each kind of notify fault active now (reorder is handled by the sender before this). */
export function takeNotifyFaults(deps: Deps): NotifyFaults {
  const { faults } = deps.store;
  return deps.store.transaction(() => {
    const taken: NotifyFaults = { drop: false, delayMs: 0, copies: 1, tamper: null, labels: [] };
    const seen = new Set<string>();
    for (const fault of faults.list()) {
      if (!fault.kind.startsWith('notify-') || fault.kind === 'notify-reorder' || seen.has(fault.kind))
        continue;
      if (!faults.consume(fault.id)) continue;
      seen.add(fault.kind);
      taken.labels.push(`${fault.kind}#${fault.id}`);
      if (fault.kind === 'notify-drop') taken.drop = true;
      if (fault.kind === 'notify-delay') taken.delayMs = fault.params.delayMs as number;
      if (fault.kind === 'notify-duplicate') taken.copies = fault.params.copies as number;
      if (fault.kind === 'notify-tamper') taken.tamper = fault.params.mode as 'signature' | 'amount';
    }
    return taken;
  });
}

/** The active reorder fault, if any. */
export function activeReorder(deps: Deps): FaultRecord | undefined {
  return deps.store.faults.listByKind('notify-reorder')[0];
}

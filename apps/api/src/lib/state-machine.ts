import type { SqlParam, SqlTx } from '@shop/db';

/**
 * State machines as data (STYLE.md, "Money and state"): a table of the statuses each status may move to, one
 * assertTransition, and one guarded update that every status change of orders, payments and refunds goes through.
 */
export interface StateMachine<S extends string> {
  /** The table whose `status` column the machine governs. */
  table: string;
  transitions: Readonly<Record<S, readonly S[]>>;
}

export function defineMachine<S extends string>(
  table: string,
  transitions: Readonly<Record<S, readonly S[]>>,
): StateMachine<S> {
  return { table, transitions };
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly table: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`a ${table} cannot move from ${from} to ${to}`);
  }
}

export function canTransition<S extends string>(machine: StateMachine<S>, from: S, to: S): boolean {
  return machine.transitions[from].includes(to);
}

export function assertTransition<S extends string>(machine: StateMachine<S>, from: S, to: S): void {
  if (!canTransition(machine, from, to)) throw new IllegalTransitionError(machine.table, from, to);
}

export interface GuardedTransition<S extends string> {
  id: string;
  /** The statuses the row may be in; the update changes nothing when it is in another one. */
  from: readonly S[];
  to: S;
  /** Other columns written in the same update (paidAt, nextQueryAt ...); names come from code, never from input. */
  set?: Readonly<Record<string, SqlParam>>;
  now?: Date;
}

/**
 * The one way a status changes: `UPDATE <table> SET status = to, ... WHERE id = ? AND status IN (from)`, whose row
 * count says whether this call made the change. Every `from -> to` must be in the machine's table (a programming
 * error otherwise, thrown before anything is written). Returns true when the row moved, false when it was not in
 * one of `from` (a repeated notify, a second concurrent cancel): the caller decides what that means.
 */
export async function guardedTransition<S extends string>(
  tx: SqlTx,
  machine: StateMachine<S>,
  input: GuardedTransition<S>,
): Promise<boolean> {
  if (input.from.length === 0) throw new Error(`a ${machine.table} transition needs a status to start from`);
  for (const from of input.from) assertTransition(machine, from, input.to);
  const set = Object.entries(input.set ?? {});
  const changed = await tx.run(
    `UPDATE "${machine.table}" SET "status" = ?, "updatedAt" = ?${set.map(([column]) => `, "${column}" = ?`).join('')}
     WHERE "id" = ? AND "status" IN (${input.from.map(() => '?').join(', ')})`,
    input.to,
    input.now ?? new Date(),
    ...set.map(([, value]) => value),
    input.id,
    ...input.from,
  );
  if (changed > 1) throw new Error(`a guarded ${machine.table} update changed ${changed} rows`);
  return changed === 1;
}

import type { Db } from './db';

/** Injected faults. `remaining` counts the uses left; null means "until cleared". */

export interface FaultRecord {
  id: number;
  kind: string;
  params: Record<string, unknown>;
  remaining: number | null;
  used: number;
  createdAt: Date;
}

interface FaultRow {
  id: number;
  kind: string;
  params: string;
  remaining: number | null;
  used: number;
  created_at: number;
}

const toFault = (row: FaultRow): FaultRecord => ({
  id: row.id,
  kind: row.kind,
  params: JSON.parse(row.params) as Record<string, unknown>,
  remaining: row.remaining,
  used: row.used,
  createdAt: new Date(row.created_at),
});

export class FaultsRepo {
  constructor(private readonly db: Db) {}

  insert(kind: string, params: Record<string, unknown>, remaining: number | null, now: Date): FaultRecord {
    const result = this.db
      .prepare('INSERT INTO faults (kind, params, remaining, created_at) VALUES (?, ?, ?, ?)')
      .run(kind, JSON.stringify(params), remaining, now.getTime());
    return this.find(Number(result.lastInsertRowid)) as FaultRecord;
  }

  find(id: number): FaultRecord | undefined {
    const row = this.db.prepare('SELECT * FROM faults WHERE id = ?').get(id) as FaultRow | undefined;
    return row && toFault(row);
  }

  list(): FaultRecord[] {
    return (this.db.prepare('SELECT * FROM faults ORDER BY id').all() as FaultRow[]).map(toFault);
  }

  listByKind(kind: string): FaultRecord[] {
    return (this.db.prepare('SELECT * FROM faults WHERE kind = ? ORDER BY id').all(kind) as FaultRow[]).map(
      toFault,
    );
  }

  /** Takes one use of a fault; an exhausted fault is deleted. False when another caller took the last use. */
  consume(id: number): boolean {
    const result = this.db
      .prepare(
        'UPDATE faults SET used = used + 1, remaining = remaining - 1 WHERE id = ? AND (remaining IS NULL OR remaining > 0)',
      )
      .run(id);
    this.db.prepare('DELETE FROM faults WHERE id = ? AND remaining = 0').run(id);
    return result.changes === 1;
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM faults WHERE id = ?').run(id).changes === 1;
  }

  deleteAll(): number {
    return this.db.prepare('DELETE FROM faults').run().changes;
  }
}

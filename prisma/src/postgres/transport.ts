// sql() on PostgreSQL: named prepared statements on the pg pool the Prisma client uses.
import { createHash } from 'node:crypto';

import pg from 'pg';

import {
  insertShape,
  insertSql,
  rowsOf,
  type Dialect,
  type SqlParam,
  type SqlReader,
  type SqlTransport,
  type SqlTx,
} from '../sql';
import { prismaUniqueViolation } from '../sqlite/transport';

/*
 * Each SQL text is translated once (`?` to `$1`, `$2`, ...) and run as a named prepared statement, so PostgreSQL
 * parses and plans it once per connection. Transactions run at READ COMMITTED, PostgreSQL's default: every money
 * write is a guarded UPDATE whose WHERE is re-checked against the row's newest version after a concurrent writer
 * commits, which is what makes `stock >= qty` and `status = expected` hold across processes. A deadlock (40P01) or a
 * serialization failure (40001) rolls the transaction back and runs it again from the start.
 */

/** PostgreSQL spells these with strpos() and to_char(); DateTime columns are timestamp(3) holding UTC. */
export const postgresDialect: Dialect = {
  containsText: (haystack) => `strpos(lower(${haystack}), lower(CAST(? AS TEXT))) > 0`,
  startsWithText: (haystack) => `strpos(${haystack}, CAST(? AS TEXT)) = 1`,
  chinaDay: (column) => `to_char(${column} + interval '8 hours', 'YYYY-MM-DD')`,
  // The lock an UPDATE itself takes: it queues other writers of the row but not inserts that reference it.
  forUpdate: ' FOR NO KEY UPDATE',
  forUpdateOf: (alias) => ` FOR NO KEY UPDATE OF ${alias}`,
};

/** How many times a transaction that hit a deadlock or a serialization failure is run again. */
const RETRIES = 5;
const RETRYABLE = new Set(['40P01', '40001']);

interface Prepared {
  name: string;
  text: string;
}

const prepared = new Map<string, Prepared>();

/** `?` placeholders become `$n`, outside quoted strings and identifiers; the result is cached per SQL text. */
export function toPostgres(sql: string): Prepared {
  let found = prepared.get(sql);
  if (!found) {
    let text = '';
    let n = 0;
    let quote: string | null = null;
    for (const char of sql) {
      if (quote) {
        if (char === quote) quote = null;
        text += char;
      } else if (char === "'" || char === '"') {
        quote = char;
        text += char;
      } else if (char === '?') {
        text += `$${++n}`;
      } else {
        text += char;
      }
    }
    found = { name: `shop_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
    prepared.set(sql, found);
  }
  return found;
}

/** Parameters as Prisma's pg adapter sends them: a Date as UTC `yyyy-MM-dd HH:mm:ss.SSS`, a bigint as its digits. */
function toPostgresValue(value: SqlParam): string | number | boolean | Buffer | null {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof value === 'bigint') return value.toString();
  return value;
}

const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const INT8 = 20;
const NUMERIC = 1700;

/**
 * Rows as the money code reads them on both engines: timestamps as Dates (the text is UTC: without this pg would
 * read it in the process's local zone), counts and sums (int8) as numbers while they are safe integers.
 */
const types = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (format === 'binary') throw new Error('binary results are not used');
    switch (oid) {
      case TIMESTAMP:
        return (value) => new Date(`${value.replace(' ', 'T')}Z`);
      case TIMESTAMPTZ:
        return (value) => new Date(value);
      case INT8:
      case NUMERIC:
        return (value) => {
          const n = Number(value);
          return Number.isSafeInteger(n) ? n : value;
        };
      default:
        return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
    }
  },
};

export function postgresTransport(pool: pg.Pool): SqlTransport {
  const query = async (client: pg.PoolClient, sql: string, params: readonly SqlParam[]) => {
    const { name, text } = toPostgres(sql);
    return client.query({ name, text, values: params.map(toPostgresValue), types });
  };
  const queries = (client: pg.PoolClient): SqlTx => ({
    engine: 'postgresql',
    dialect: postgresDialect,
    async get<Row>(sql: string, ...params: SqlParam[]) {
      return (await query(client, sql, params)).rows[0] as Row | undefined;
    },
    async all<Row>(sql: string, ...params: SqlParam[]) {
      return (await query(client, sql, params)).rows as Row[];
    },
    async run(sql: string, ...params: SqlParam[]) {
      return (await query(client, sql, params)).rowCount ?? 0;
    },
    async insert(table, rows, options) {
      const list = rowsOf(rows);
      const { columns, values } = insertShape(table, list);
      const text = insertSql(table, columns, list.length, options?.onConflictDoNothing);
      return (await query(client, text, values)).rowCount ?? 0;
    },
  });
  return {
    engine: 'postgresql',
    dialect: postgresDialect,
    async transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          try {
            const result = await work(queries(client));
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK').catch((rollbackError: unknown) => {
              // The connection is gone; the server rolls the transaction back itself.
              broken = rollbackError as Error;
            });
            throw error;
          }
        } catch (error) {
          if (attempt <= RETRIES && RETRYABLE.has((error as { code?: string }).code ?? '')) {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
            continue;
          }
          throw error;
        } finally {
          client.release(broken);
        }
      }
    },
    // A plain read is statements outside a transaction, as autocommit runs them.
    read<T>(work: (q: SqlReader) => Promise<T>): Promise<T> {
      return this.autocommit(work);
    },
    async autocommit<T>(work: (q: SqlTx) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        return await work(queries(client));
      } finally {
        client.release();
      }
    },
    isUniqueViolation: isPostgresUniqueViolation,
  };
}

/**
 * Whether `error` is PostgreSQL refusing a duplicate in `table` (optionally on `column`): SQLSTATE 23505 with the
 * table and the index, which Prisma names `<Table>_<column>_key` (and `<Table>_pkey`); the Prisma client reports it
 * as P2002.
 */
export function isPostgresUniqueViolation(error: unknown, table: string, column?: string): boolean {
  if (!(error instanceof Error)) return false;
  const found = error as Error & { code?: unknown; table?: string; constraint?: string; detail?: string };
  if (found.code === 'P2002') return prismaUniqueViolation(error, table, column);
  if (found.code !== '23505' || found.table !== table) return false;
  if (column === undefined) return true;
  if (found.constraint === `${table}_${column}_key`) return true;
  const fields = /Key \(([^)]+)\)/.exec(found.detail ?? '')?.[1]?.split(', ') ?? [];
  return fields.some((field) => field === `"${column}"` || field === column);
}

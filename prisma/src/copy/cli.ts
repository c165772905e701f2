// `pnpm db:copy`: the command line of copySqliteToPostgres, testable in-process (scripts/copy.ts runs it).
import { parseArgs } from 'node:util';

import { messageOf, MigrationError } from '../errors';
import { defaultDatabaseLocation, parseDatabaseLocation, type DbLocation } from '../location';
import { copySqliteToPostgres, CopyRefused, type CopyReport, type MoneyFigures } from './copy';

export const USAGE = `Usage: pnpm db:copy --to postgresql://user:password@host:port/database [--from file:<path>]

Copies a SQLite shop into a new PostgreSQL database: migrates the target (creating it when missing), refuses a
target that holds any row, copies every table in one transaction, and compares each table's row count and the
orders, paid and refunded totals of both sides.

  --from   the SQLite file (default: DATABASE_FILE, else <DATA_DIR>/shop.db, else .data/shop.db)
  --to     the PostgreSQL database to copy into
Stop the API (and its jobs) first: rows written during the copy are not copied, and the check then fails.
Exit codes: 0 the copy matches the source; 1 refused, failed or not matching; 2 bad usage.
`;

export interface CopyIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the command; returns the exit code. */
export async function copyCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CopyIo,
): Promise<number> {
  let values: { from?: string; to?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`db:copy: ${messageOf(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.to) {
    io.err(`db:copy: --to is required\n\n${USAGE}`);
    return 2;
  }
  let from: DbLocation;
  let to: DbLocation;
  try {
    from = values.from
      ? parseDatabaseLocation(values.from)
      : defaultDatabaseLocation({ DATABASE_FILE: env.DATABASE_FILE, DATA_DIR: env.DATA_DIR });
    to = parseDatabaseLocation(values.to);
  } catch (error) {
    io.err(`db:copy: ${messageOf(error)}\n`);
    return 2;
  }
  if (from.engine !== 'sqlite') {
    io.err('db:copy: --from must be a SQLite file (file:<path> or a path)\n');
    return 2;
  }
  if (to.engine !== 'postgresql') {
    io.err('db:copy: --to must be a PostgreSQL URL (postgresql://...)\n');
    return 2;
  }
  try {
    const report = await copySqliteToPostgres({ from, to, progress: (line) => io.out(`  ${line}\n`) });
    io.out(formatCopyReport(report));
    return report.matches ? 0 : 1;
  } catch (error) {
    if (error instanceof CopyRefused || error instanceof MigrationError) {
      io.err(`db:copy: refused: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

const FIGURE_LABELS: Record<keyof MoneyFigures, string> = {
  orders: 'orders',
  paidFen: 'paid (fen)',
  refundedFen: 'refunded (fen)',
};

/** The report as a table: every table's rows on each side, then the money figures, then the verdict. */
export function formatCopyReport(report: CopyReport): string {
  const rows: Array<[string, string, string, string]> = report.tables.map((t) => [
    t.table,
    String(t.source),
    String(t.target),
    t.source === t.target ? '' : 'MISMATCH',
  ]);
  rows.push(['', '', '', '']);
  for (const key of Object.keys(FIGURE_LABELS) as Array<keyof MoneyFigures>) {
    const source = report.figures.source[key];
    const target = report.figures.target[key];
    rows.push([FIGURE_LABELS[key], String(source), String(target), source === target ? '' : 'MISMATCH']);
  }
  const width = (i: number) =>
    Math.max(...rows.map((r) => r[i]!.length), ['table', 'source', 'target'][i]!.length);
  const line = (r: readonly string[]) =>
    `  ${r[0]!.padEnd(width(0))}  ${r[1]!.padStart(width(1))}  ${r[2]!.padStart(width(2))}${r[3] ? `  ${r[3]}` : ''}`.trimEnd();
  const lines = [
    `db:copy: ${report.from} -> ${report.to} (${report.durationMs} ms)`,
    line(['table', 'source', 'target', '']),
    ...rows.map(line),
  ];
  if (report.sourceChanged) {
    lines.push(
      'db:copy: the source changed during the copy: stop the API, then copy again into a new, empty database',
    );
  }
  lines.push(
    report.matches
      ? `db:copy: the copy matches the source (${report.tables.length} tables)`
      : 'db:copy: the copy does NOT match the source; do not switch the shop to it',
  );
  return `${lines.join('\n')}\n`;
}

// `pnpm db:backup` and `pnpm db:restore`: the command lines of backupDatabase and restoreBackup, testable in-process
// (scripts/backup.ts and scripts/restore.ts run them).
import path from 'node:path';
import { parseArgs } from 'node:util';

import { messageOf } from '../errors';
import { FIGURE_NAMES } from '../figures';
import {
  defaultDatabaseLocation,
  describeLocation,
  parseDatabaseLocation,
  type DbLocation,
} from '../location';
import { repoRoot } from '../paths';
import { backupDatabase, BackupFailed } from './backup';
import { restoreBackup, RestoreRefused, type RestoreReport } from './restore';

export interface BackupIo {
  out(text: string): void;
  err(text: string): void;
}

type Env = Readonly<Record<string, string | undefined>>;

export const BACKUP_USAGE = `Usage: pnpm db:backup [--out DIR] [--db URL]

Takes a consistent backup of the shop's database while it runs (SQLite: the online backup API; PostgreSQL:
pg_dump of one exported snapshot) into a new folder DIR/shop-<engine>-<UTC time>/ holding the data file and
manifest.json: engine, migration level, every table's rows, orders, paid and refunded totals (fen), and the data
file's SHA-256.

  --out  the folder to write it in (default: <DATA_DIR>/backups, else .data/backups)
  --db   the database (default: DATABASE_URL, else DATABASE_FILE, else <DATA_DIR>/shop.db, else .data/shop.db)
Exit codes: 0 written; 1 failed (nothing is left behind); 2 bad usage.
`;

export const RESTORE_USAGE = `Usage: pnpm db:restore BACKUP [--to URL] [--force]

Restores a backup taken by \`pnpm db:backup\` (its folder, or its manifest.json): checks the data file's SHA-256
before touching anything, restores into an empty database of the same engine (a missing one is created), then runs
the integrity checks and compares every table's rows, the orders, paid and refunded totals and the migrations with
the manifest. Stop the API first.

  --to     the database (default: DATABASE_URL, else DATABASE_FILE, else <DATA_DIR>/shop.db, else .data/shop.db)
  --force  replace a database that holds rows (they are lost); without it such a database is refused
Exit codes: 0 restored and matching the manifest; 1 refused, failed or not matching; 2 bad usage.
`;

function location(value: string | undefined, env: Env): DbLocation {
  return value ? parseDatabaseLocation(value) : defaultDatabaseLocation(env);
}

/** Runs `pnpm db:backup`; returns the exit code. */
export async function backupCli(argv: readonly string[], env: Env, io: BackupIo): Promise<number> {
  let values: { out?: string; db?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, db: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`db:backup: ${messageOf(error)}\n\n${BACKUP_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(BACKUP_USAGE);
    return 0;
  }
  let from: DbLocation;
  try {
    from = location(values.db, env);
  } catch (error) {
    io.err(`db:backup: ${messageOf(error)}\n`);
    return 2;
  }
  const outDir = path.resolve(
    repoRoot,
    values.out ?? path.join(env.DATA_DIR ?? path.join(repoRoot, '.data'), 'backups'),
  );
  try {
    const { dir, manifest, durationMs } = await backupDatabase({ from, outDir, env });
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    io.out(
      [
        `db:backup: ${describeLocation(from)} (${manifest.engine}) -> ${dir} (${durationMs} ms)`,
        `  ${manifest.file}: ${manifest.bytes} bytes, sha256 ${manifest.sha256}`,
        `  migration level: ${manifest.migrations.latest ?? 'none'} (${manifest.migrations.applied.length} applied)`,
        `  ${Object.keys(manifest.tables).length} tables, ${rows} rows; orders ${manifest.figures.orders}, ` +
          `paid ${manifest.figures.paidFen} fen, refunded ${manifest.figures.refundedFen} fen`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof BackupFailed) {
      io.err(`db:backup: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Runs `pnpm db:restore`; returns the exit code. */
export async function restoreCli(argv: readonly string[], env: Env, io: BackupIo): Promise<number> {
  let values: { to?: string; force?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { to: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    io.err(`db:restore: ${messageOf(error)}\n\n${RESTORE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(RESTORE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`db:restore: give exactly one backup (its folder or manifest.json)\n\n${RESTORE_USAGE}`);
    return 2;
  }
  let to: DbLocation;
  try {
    to = location(values.to, env);
  } catch (error) {
    io.err(`db:restore: ${messageOf(error)}\n`);
    return 2;
  }
  try {
    const report = await restoreBackup({
      backup: path.resolve(repoRoot, positionals[0]!),
      to,
      force: values.force ?? false,
      env,
      progress: (line) => io.out(`  ${line}\n`),
    });
    io.out(formatRestoreReport(report));
    return report.matches ? 0 : 1;
  } catch (error) {
    if (error instanceof RestoreRefused) {
      io.err(`db:restore: refused: ${error.message}\n`);
      return 1;
    }
    io.err(`db:restore: failed: ${messageOf(error)}\n`);
    return 1;
  }
}

/** What the restore did, in words: where from and to, the checks, and the verdict. */
export function formatRestoreReport(report: RestoreReport): string {
  const { manifest } = report;
  const rows = Object.values(report.facts.tables).reduce((a, b) => a + b, 0);
  const lines = [
    `db:restore: ${report.backup} (${manifest.engine}, taken ${manifest.createdAt} from ${manifest.source})`,
    `  -> ${report.to} (${report.durationMs} ms)`,
    report.replaced.length > 0
      ? `  replaced: ${report.replaced.map((r) => `${r.table} ${r.rows}`).join(', ')} (--force)`
      : '  the target was empty',
    `  restored ${Object.keys(report.facts.tables).length} tables, ${rows} rows; ` +
      FIGURE_NAMES.map((name) => `${name} ${report.facts.figures[name]}`).join(', '),
    `  migration level: ${report.facts.migrations.at(-1) ?? 'none'} (${report.facts.migrations.length} applied)`,
    report.integrity.length === 0
      ? '  integrity checks passed'
      : `  integrity checks FAILED:\n${report.integrity.map((p) => `    - ${p}`).join('\n')}`,
  ];
  if (report.differences.length > 0) {
    lines.push(`  differs from the manifest:\n${report.differences.map((d) => `    - ${d}`).join('\n')}`);
  }
  if (report.pendingMigrations.length > 0) {
    lines.push(
      `  this checkout has ${report.pendingMigrations.length} newer migration(s) ` +
        `(${report.pendingMigrations.join(', ')}): \`pnpm db:migrate\` or the API's start applies them`,
    );
  }
  lines.push(
    report.matches
      ? "db:restore: the restored database matches the backup's manifest"
      : "db:restore: the restored database does NOT match the backup's manifest; do not serve from it",
  );
  return `${lines.join('\n')}\n`;
}

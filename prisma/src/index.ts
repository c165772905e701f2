// @shop/db: the Prisma client on SQLite or PostgreSQL, portable SQL for the money paths, and the migrations.
export { closeDb, createDb, type CreateDbOptions, type Db } from './client';
export {
  defaultDatabaseLocation,
  describeLocation,
  ENGINES,
  parseDatabaseLocation,
  redactUrl,
  toLocation,
  type DbLocation,
  type Engine,
} from './location';
export {
  applyMigrations,
  diffSchemaAgainstMigrations,
  migrationStatus,
  MigrationError,
  type MigrationSources,
} from './migrate';
export { migrationsDirFor, schemaPath } from './paths';
// Moving a SQLite shop to PostgreSQL (`pnpm db:copy`; README, "Moving a SQLite shop to PostgreSQL").
export { copyCli, formatCopyReport } from './copy/cli';
export {
  copySqliteToPostgres,
  CopyRefused,
  type CopyOptions,
  type CopyReport,
  type MoneyFigures,
  type TableCount,
} from './copy/copy';
// Backups of a live shop and their restore (`pnpm db:backup`, `pnpm db:restore`; README, "Backups").
export { backupCli, restoreCli, formatRestoreReport } from './backup/cli';
export { BACKUP_NAME, backupDatabase, BackupFailed, pruneBackups, type BackupResult } from './backup/backup';
export { readManifest, type BackupManifest } from './backup/manifest';
export { restoreBackup, RestoreRefused, type RestoreReport } from './backup/restore';
export { BUSY_TIMEOUT_MS } from './sqlite/connection';
// Portable SQL on the client's own connections: the one way the money tables are written (README, "One data layer").
export {
  engineOf,
  isUniqueViolation,
  newId,
  readBool,
  readDate,
  readDateOrNull,
  readInt,
  sql,
  type Dialect,
  type SqlAccess,
  type SqlParam,
  type SqlReader,
  type SqlTx,
} from './sql';

// The generated client: PrismaClient, the Prisma namespace (errors, input types), the enums as values and types
// (OrderStatus, PaymentStatus, ...) and one type per model (User, Order, Sku, ...). Both engines' clients are
// generated from one data model; the SQLite client's types stand for both.
export * from '../generated/sqlite/client';

// @shop/db: the Prisma client on SQLite, and the migrations that shape its file.
export { BUSY_TIMEOUT_MS, closeDb, createDb, type Db } from './client';
export {
  applyMigrations,
  diffSchemaAgainstMigrations,
  MigrationError,
  type MigrationSources,
} from './migrate';
export { defaultDatabaseFile, migrationsDir, schemaPath } from './paths';
// Synchronous SQL on the client's own connection, for measured hot paths only (README, "Synchronous SQL").
export {
  isSqliteUniqueViolation,
  newId,
  readBool,
  readDate,
  readDateOrNull,
  sqlDate,
  sqlite,
  type SqliteAccess,
  type SqlParam,
  type SqlReader,
  type SyncTx,
} from './sqlite';

// The generated client: PrismaClient, the Prisma namespace (errors, input types, TransactionIsolationLevel), the
// enums as values and types (OrderStatus, PaymentStatus, ...) and one type per model (User, Order, Sku, ...).
export * from '../generated/client';

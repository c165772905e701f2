import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './schema';

export type Db = Database.Database;

/**
 * Opens (creating when needed) the sandbox database and brings its schema up to date. synchronous NORMAL in WAL mode
 * survives a killed process (only a power loss can take the last commits), without an fsync per commit.
 * https://www.sqlite.org/pragma.html#pragma_synchronous
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return reusingStatements(db);
}

/**
 * The repositories call `db.prepare(sql)` where they use a statement; compiling the SQL each time cost the gateway
 * more than running it. This makes `prepare` compile each SQL text once per connection. No repository changes a
 * statement's mode (pluck, raw, expand) or iterates one, so a shared statement behaves as a fresh one.
 */
function reusingStatements(db: Db): Db {
  const prepared = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    let statement = prepared.get(source);
    if (!statement) {
      statement = prepare(source);
      prepared.set(source, statement);
    }
    return statement;
  }) as Db['prepare'];
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(
      `sandbox database schema version ${current} is newer than this sandbox (${MIGRATIONS.length}); ` +
        'use a newer sandbox or another SANDBOX_DB_FILE',
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

// Where the package's files live, independent of the current directory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `prisma/` folder (the @shop/db package). */
export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.dirname(packageDir);
export const schemaPath = path.join(packageDir, 'schema.prisma');
export const migrationsDir = path.join(packageDir, 'migrations');

/**
 * The database file the root scripts use: DATABASE_FILE, else <DATA_DIR>/shop.db, else .data/shop.db at the
 * repository root (DESIGN.md, "Development identities"). Relative paths are taken from the repository root.
 */
export function defaultDatabaseFile(env: NodeJS.ProcessEnv): string {
  if (env.DATABASE_FILE) return path.resolve(repoRoot, env.DATABASE_FILE);
  return path.resolve(repoRoot, env.DATA_DIR ?? '.data', 'shop.db');
}

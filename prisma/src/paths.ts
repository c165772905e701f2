// Where the package's files live, independent of the current directory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Engine } from './location';

/** The `prisma/` folder (the @shop/db package). */
export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.dirname(packageDir);
/** The one schema both engines are built from (its datasource says sqlite; see schemas.ts for PostgreSQL). */
export const schemaPath = path.join(packageDir, 'schema.prisma');
/** One migrations folder per engine, with the same migration names in each. */
export const migrationsRoot = path.join(packageDir, 'migrations');
/** Generated clients and the derived PostgreSQL schema (git-ignored). */
export const generatedDir = path.join(packageDir, 'generated');

export function migrationsDirFor(engine: Engine): string {
  return path.join(migrationsRoot, engine);
}

/** The schema file the Prisma CLI reads for an engine: schema.prisma, or the PostgreSQL copy derived from it. */
export function schemaFileFor(engine: Engine): string {
  return engine === 'sqlite' ? schemaPath : path.join(generatedDir, 'postgresql.prisma');
}

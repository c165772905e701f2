// One data model, two engines: schema.prisma is written for SQLite and the PostgreSQL schema is derived from it, so
// the two can never describe different models. Only the datasource provider and the generated client's folder differ.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Engine } from './location';
import { schemaFileFor, schemaPath } from './paths';

export interface SchemaSource {
  /** Where the schema lives (or, for PostgreSQL, where the derived copy is written). */
  path: string;
  content: string;
}

const DATASOURCE_PROVIDER = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
const GENERATOR_OUTPUT = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/;

/**
 * The PostgreSQL schema for a SQLite schema text: the datasource provider becomes postgresql and the client is
 * generated beside the SQLite one (generated/postgresql/). Every model, field, index and enum is the same.
 */
export function postgresSchemaText(sqliteSchema: string): string {
  if (!DATASOURCE_PROVIDER.test(sqliteSchema)) {
    throw new Error('schema.prisma must declare `datasource db { provider = "sqlite" }`');
  }
  if (!GENERATOR_OUTPUT.test(sqliteSchema))
    throw new Error('schema.prisma must set the client generator output');
  return (
    '// Derived from prisma/schema.prisma by prisma/src/schemas.ts (pnpm db:generate). Do not edit.\n' +
    sqliteSchema.replace(DATASOURCE_PROVIDER, '$1"postgresql"').replace(GENERATOR_OUTPUT, '$1"./postgresql"')
  );
}

/** The schema of `engine`, read from `sqliteSchemaPath` (schema.prisma by default). */
export async function schemaFor(
  engine: Engine,
  sqliteSchemaPath: string = schemaPath,
): Promise<SchemaSource> {
  const absolute = path.resolve(sqliteSchemaPath);
  const content = await readFile(absolute, 'utf8');
  if (engine === 'sqlite') return { path: absolute, content };
  return {
    path:
      absolute === path.resolve(schemaPath)
        ? schemaFileFor('postgresql')
        : path.join(path.dirname(absolute), 'postgresql.prisma'),
    content: postgresSchemaText(content),
  };
}

/** Writes the derived PostgreSQL schema where the Prisma CLI (generate, migrate deploy) expects it. */
export async function writePostgresSchema(): Promise<string> {
  const schema = await schemaFor('postgresql');
  await mkdir(path.dirname(schema.path), { recursive: true });
  await writeFile(schema.path, schema.content);
  return schema.path;
}

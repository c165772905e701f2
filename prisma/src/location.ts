// Which database a process talks to: DATABASE_URL chooses the engine (DESIGN.md, "Where it runs").
import path from 'node:path';

import { repoRoot } from './paths';

/** The two engines the shop runs on. SQLite is the embedded default; PostgreSQL is how a merchant runs it at scale. */
export type Engine = 'sqlite' | 'postgresql';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgresql'];

/** A database the shop can open: its engine and its address. */
export type DbLocation =
  | { engine: 'sqlite'; /** Absolute path of the SQLite file. */ file: string; url: string }
  | { engine: 'postgresql'; /** postgresql://user:password@host:port/database?... */ url: string };

/**
 * Reads a database address: `postgresql://...` (or `postgres://...`) is PostgreSQL; `file:...` or a bare path is a
 * SQLite file (relative paths are taken from the repository root, as the root scripts do). Anything else is refused
 * with a message naming what is accepted.
 */
export function parseDatabaseLocation(value: string): DbLocation {
  const trimmed = value.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new Error(`DATABASE_URL is not a valid PostgreSQL URL: ${redactUrl(trimmed)}`);
    }
    if (!parsed.pathname || parsed.pathname === '/') {
      throw new Error(
        `DATABASE_URL names no database (postgresql://host:port/<database>): ${redactUrl(trimmed)}`,
      );
    }
    return { engine: 'postgresql', url: trimmed };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && !trimmed.startsWith('file:')) {
    throw new Error(
      `DATABASE_URL must be file:<path> (SQLite) or postgresql://... (PostgreSQL), not ${redactUrl(trimmed)}`,
    );
  }
  const filePath = trimmed.startsWith('file:')
    ? trimmed.slice('file:'.length).replace(/^\/\/(?=\/)/, '')
    : trimmed;
  if (filePath === '') throw new Error('DATABASE_URL file: names no file');
  const file = path.resolve(repoRoot, filePath);
  return { engine: 'sqlite', file, url: `file:${file}` };
}

/**
 * The database the root scripts and the API use when told nothing else: DATABASE_URL, else DATABASE_FILE, else
 * <DATA_DIR>/shop.db, else .data/shop.db at the repository root (DESIGN.md, "Development identities").
 */
export function defaultDatabaseLocation(env: Readonly<Record<string, string | undefined>>): DbLocation {
  if (env.DATABASE_URL) return parseDatabaseLocation(env.DATABASE_URL);
  if (env.DATABASE_FILE) return parseDatabaseLocation(env.DATABASE_FILE);
  return parseDatabaseLocation(path.resolve(repoRoot, env.DATA_DIR ?? '.data', 'shop.db'));
}

/** A location as given: a DbLocation, or anything parseDatabaseLocation reads. */
export function toLocation(value: string | DbLocation): DbLocation {
  return typeof value === 'string' ? parseDatabaseLocation(value) : value;
}

/** The address without its password, for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** How a location is shown to a person: the file for SQLite, the URL without its password for PostgreSQL. */
export function describeLocation(location: DbLocation): string {
  return location.engine === 'sqlite' ? location.file : redactUrl(location.url);
}

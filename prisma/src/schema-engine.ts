// Prisma's schema engine (the Rust code behind `prisma migrate`) compiled to WebAssembly, driven through the
// driver adapter of each engine (better-sqlite3, pg). The Prisma CLI's own migrate commands need a native
// schema-engine binary that is downloaded from a host these machines cannot reach; this module needs nothing but
// the npm packages.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

import { MigrationError, messageOf } from './errors';
import { describeLocation, type DbLocation } from './location';
import { createPool } from './postgres/pool';

export type SchemaEngine = glue.SchemaEngine;
export type {
  DiagnoseMigrationHistoryOutput,
  MigrationList,
  SchemaFilter,
} from '@prisma/schema-engine-wasm/schema_engine_bg';

// Node has the WebAssembly global, but its types live in TypeScript's DOM lib, which this Node-only package does
// not load; this is the one call we make.
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loading: Promise<typeof glue.SchemaEngine> | undefined;

/*
 * The engine's timers. Its timeouts (on PostgreSQL, 10 s around taking its migration lock) start a JavaScript timer
 * through the glue's setTimeout, and the glue has no clearTimeout: a timer runs out even when what it timed finished
 * long before, and it keeps the process alive until then: a command that migrated a PostgreSQL database and was done
 * in a second waited 10 s more to exit. The timers stay as they are while an engine is open; once the last one is
 * closed, no engine work is waiting on them, and they are unref'd, so they still fire if the process lives on but no
 * longer hold it.
 */
const engineTimers = new Set<NodeJS.Timeout>();
let openEngines = 0;

function withOwnTimers(imports: typeof glue): Record<string, unknown> {
  const name = Object.keys(imports).find((key) => key.startsWith('__wbg_setTimeout_'));
  if (name === undefined) throw new Error('the schema engine glue has no setTimeout import');
  return {
    ...imports,
    [name]: (callback: () => void, ms: number) => {
      const timer = setTimeout(() => {
        engineTimers.delete(timer);
        callback();
      }, ms >>> 0);
      engineTimers.add(timer);
      if (openEngines === 0) timer.unref();
      return timer;
    },
  };
}

function engineClosed(): void {
  openEngines--;
  if (openEngines > 0) return;
  for (const timer of engineTimers) timer.unref();
}

/** How many of the engine's timers are pending and how many of those hold the process (for the tests). */
export function engineTimerCounts(): { pending: number; holding: number } {
  const pending = [...engineTimers];
  return { pending: pending.length, holding: pending.filter((timer) => timer.hasRef()).length };
}

/**
 * Instantiates schema_engine_bg.wasm once per process. The package's own entry (`schema_engine.js`) does
 * `import * as wasm from "./schema_engine_bg.wasm"`, which only a bundler understands, so we do its three steps
 * by hand: instantiate the module with the wasm-bindgen glue as its imports, hand the exports to the glue
 * (`__wbg_set_wasm`), then run the module's start function (`__wbindgen_start`).
 */
function loadSchemaEngineClass(): Promise<typeof glue.SchemaEngine> {
  loading ??= (async () => {
    // The package's export map does not expose the .wasm file; it sits beside the glue module.
    const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': withOwnTimers(glue),
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue.SchemaEngine;
  })();
  return loading;
}

/** One engine bound to one database, with everything it opened. Always `close()` it. */
export interface EngineSession {
  engine: SchemaEngine;
  /** The engine's log lines (JSON), kept to explain a failure. */
  logs: string[];
  /** The message of an engine error, with the driver's own error when the engine only says "External error id#N". */
  describe(error: unknown): string;
  close(): Promise<void>;
}

/**
 * Opens the schema engine on the database at `location` (a SQLite file is created when missing) with the given
 * schema as its datamodel. The adapter factory records every connection it hands out so `close()` can release the
 * database; freeing the engine alone does not close them.
 */
export async function openSchemaEngine(
  location: DbLocation,
  schema: { path: string; content: string },
): Promise<EngineSession> {
  const SchemaEngineClass = await loadSchemaEngineClass();
  const connections: SqlDriverAdapter[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const inner = adapterFactoryFor(location, cleanups);
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await inner.connectToShadowDb()),
  };
  function track(connection: SqlDriverAdapter): SqlDriverAdapter {
    connections.push(connection);
    return connection;
  }
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(tracking);
  const dbName = describeLocation(location);

  // The engine turns a JavaScript error thrown by the adapter into "External error id#N"; the original waits in
  // the factory's error registry under that id.
  function describe(error: unknown): string {
    const message = messageOf(error);
    const id = /External error id#(\d+)/.exec(message)?.[1];
    const original = id === undefined ? undefined : adapterFactory.errorRegistry.consumeError(Number(id));
    return original ? `${messageOf(original.error)} (${message})` : message;
  }

  const logs: string[] = [];
  openEngines++;
  const engine = await SchemaEngineClass.new(
    { datamodels: [[schema.path, schema.content]] },
    (line: string) => {
      logs.push(line);
    },
    adapterFactory,
  ).catch((error: unknown) => {
    engineClosed();
    throw new MigrationError(`Could not open ${dbName} with the schema engine: ${describe(error)}`, {
      cause: error,
    });
  });

  let closed = false;
  return {
    engine,
    logs,
    describe,
    async close() {
      if (closed) return;
      closed = true;
      engine.free();
      try {
        for (const connection of connections) await connection.dispose();
        for (const cleanup of cleanups) await cleanup();
      } finally {
        engineClosed();
      }
    },
  };
}

/** The driver adapter the engine talks through, for the location's engine. */
function adapterFactoryFor(
  location: DbLocation,
  cleanups: Array<() => Promise<void>>,
): SqlMigrationAwareDriverAdapterFactory {
  if (location.engine === 'sqlite') return new PrismaBetterSqlite3({ url: `file:${location.file}` });
  const pool = createPool(location.url, { max: 2, applicationName: 'shop-migrate' });
  // The engine's description of a PostgreSQL schema reads catalog columns of PostgreSQL's internal one-byte "char"
  // type (pg_constraint.contype, pg_class.relkind, ...), which @prisma/adapter-pg 7.10 has no column type for: it
  // refuses the whole result. Reported as text, they read as the engine expects.
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result;
    return result.then((value: { fields?: Array<{ dataTypeID: number }> }) => {
      for (const field of value.fields ?? [])
        if (field.dataTypeID === PG_INTERNAL_CHAR) field.dataTypeID = PG_TEXT;
      return value;
    });
  };
  cleanups.push(() => pool.end());
  return new PrismaPg(pool);
}

const PG_INTERNAL_CHAR = 18;
const PG_TEXT = 25;

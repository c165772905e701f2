// Prisma's schema engine (the Rust code behind `prisma migrate`) compiled to WebAssembly, driven through the
// better-sqlite3 driver adapter. The Prisma CLI's own migrate commands need a native schema-engine binary that is
// downloaded from a host these machines cannot reach; this module needs nothing but the npm packages.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

import { MigrationError, messageOf } from './errors';

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
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue.SchemaEngine;
  })();
  return loading;
}

/** One engine bound to one SQLite file, with everything it opened. Always `close()` it. */
export interface EngineSession {
  engine: SchemaEngine;
  /** The engine's log lines (JSON), kept to explain a failure. */
  logs: string[];
  /** The message of an engine error, with the driver's own error when the engine only says "External error id#N". */
  describe(error: unknown): string;
  close(): Promise<void>;
}

/**
 * Opens the schema engine on `dbFile` (created when missing) with the given schema as its datamodel.
 * The adapter factory records every connection it hands out so `close()` can release the file; freeing the
 * engine alone does not close them.
 */
export async function openSchemaEngine(
  dbFile: string,
  schema: { path: string; content: string },
): Promise<EngineSession> {
  const SchemaEngineClass = await loadSchemaEngineClass();
  const connections: SqlDriverAdapter[] = [];
  const inner = new PrismaBetterSqlite3({ url: `file:${dbFile}` });
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

  // The engine turns a JavaScript error thrown by the adapter into "External error id#N"; the original waits in
  // the factory's error registry under that id.
  function describe(error: unknown): string {
    const message = messageOf(error);
    const id = /External error id#(\d+)/.exec(message)?.[1];
    const original = id === undefined ? undefined : adapterFactory.errorRegistry.consumeError(Number(id));
    return original ? `${messageOf(original.error)} (${message})` : message;
  }

  const logs: string[] = [];
  const engine = await SchemaEngineClass.new(
    { datamodels: [[schema.path, schema.content]] },
    (line: string) => {
      logs.push(line);
    },
    adapterFactory,
  ).catch((error: unknown) => {
    throw new MigrationError(`Could not open ${dbFile} with the schema engine: ${describe(error)}`, {
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
      for (const connection of connections) await connection.dispose();
    },
  };
}

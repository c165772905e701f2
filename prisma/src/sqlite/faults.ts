// SQLite's spelling of an injected write failure, for tests (see testing/faults.ts).

/** A trigger that aborts every UPDATE of `table`, and the statement that removes it. */
export function sqliteFailingUpdates(table: string, name: string): { install: string[]; remove: string[] } {
  return {
    install: [
      `CREATE TRIGGER "${name}" BEFORE UPDATE ON "${table}" BEGIN SELECT RAISE(ABORT, 'injected failure: ${name}'); END`,
    ],
    remove: [`DROP TRIGGER IF EXISTS "${name}"`],
  };
}

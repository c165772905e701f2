// PostgreSQL's spelling of an injected write failure, for tests (see testing/faults.ts).

/** A trigger that aborts every UPDATE of `table`, and the statements that remove it. */
export function postgresFailingUpdates(table: string, name: string): { install: string[]; remove: string[] } {
  return {
    install: [
      `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure: ${name}'; END $$`,
      `CREATE TRIGGER "${name}" BEFORE UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${name}"()`,
    ],
    remove: [`DROP TRIGGER IF EXISTS "${name}" ON "${table}"`, `DROP FUNCTION IF EXISTS "${name}"()`],
  };
}

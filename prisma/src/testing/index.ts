// @shop/db/testing: what test files use to get a database on the engine of their vitest project.
export {
  createTestDatabase,
  testEngine,
  testPostgresUrl,
  unusedPostgresDatabase,
  type TestDatabase,
} from './databases';
export { MODEL_NAMES, rowsOfEveryModel } from './every-model';
export { storedBytes } from './stored-bytes';
export { failUpdatesOf } from './faults';
export { runCommand, type CommandRun } from './run-command';

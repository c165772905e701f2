// @shop/db/testing: what test files use to get a database on the engine of their vitest project.
export { createTestDatabase, testEngine, testPostgresUrl, type TestDatabase } from './databases';
export { storedBytes } from './stored-bytes';
export { failUpdatesOf } from './faults';

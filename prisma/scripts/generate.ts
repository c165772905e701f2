// `pnpm db:generate`, also run by the root postinstall: writes the Prisma clients for both engines to
// prisma/generated/{sqlite,postgresql} (git-ignored), and the PostgreSQL schema derived from schema.prisma.
//
// `prisma generate` does not use the native schema engine, but the CLI insists that one exists and otherwise tries
// to download it from binaries.prisma.sh, which these machines cannot reach. Pointing PRISMA_SCHEMA_ENGINE_BINARY
// at any existing file (here: the node binary) satisfies that check; a real engine configured by the caller wins.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

import { repoRoot, schemaPath } from '../src/paths';
import { writePostgresSchema } from '../src/schemas';

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const postgresSchema = await writePostgresSchema();

for (const schema of [schemaPath, postgresSchema]) {
  // --schema names the file directly, so the config's engine choice (by DATABASE_URL) does not matter here.
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

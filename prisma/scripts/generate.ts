// `pnpm db:generate`, also run by the root postinstall: writes the Prisma client to prisma/generated (git-ignored).
//
// `prisma generate` does not use the native schema engine, but the CLI insists that one exists and otherwise tries
// to download it from binaries.prisma.sh, which these machines cannot reach. Pointing PRISMA_SCHEMA_ENGINE_BINARY
// at any existing file (here: the node binary) satisfies that check; a real engine configured by the caller wins.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

import { repoRoot } from '../src/paths';

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const result = spawnSync(
  process.execPath,
  [prismaCli, 'generate', '--config', path.join(repoRoot, 'prisma.config.ts')],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    },
  },
);
if (result.error) throw result.error;
process.exit(result.status ?? 1);

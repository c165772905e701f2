import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './system';

/**
 * `pnpm build`: compiles the API, the sandbox and the workspace packages they import to JavaScript that runs with
 * plain `node`, no tsx at run time.
 *
 * Each package is bundled on its own into `<package>/dist/` by esbuild (already in the workspace as tsx's compiler),
 * with every bare import left external: third-party packages (Koa, Prisma's runtime, the native better-sqlite3 and
 * sharp) load from node_modules as they do under tsx, each from the folder of the package that depends on it. A
 * workspace package (`@shop/db`, ...) is imported by name too, and its package.json sends the `shop-dist` export
 * condition (DIST_CONDITION) to its build: `node --conditions=shop-dist apps/api/dist/main.js`. Without that condition (tsx, vitest,
 * TypeScript) the same names still resolve to the sources.
 *
 * tsc cannot do this alone: the sources import without file extensions (moduleResolution "Bundler"), which Node's
 * ESM loader refuses. Each `dist/` sits beside its `src/`, at the same depth, so code that finds the repository from
 * its own location (env.ts, @shop/db's paths.ts) finds the same folders in both; the generated Prisma client is
 * bundled into @shop/db's build.
 */

interface Target {
  /** The package's folder, from the repository root. */
  dir: string;
  /** Output name (dist/<name>.js) to source file. */
  entries: Record<string, string>;
}

export const TARGETS: readonly Target[] = [
  { dir: 'packages/contract', entries: { index: 'src/index.ts' } },
  { dir: 'packages/alipay', entries: { index: 'src/index.ts' } },
  { dir: 'packages/dev-identity', entries: { index: 'src/index.ts' } },
  { dir: 'prisma', entries: { index: 'src/index.ts' } },
  { dir: 'apps/sandbox', entries: { main: 'src/main.ts' } },
  {
    dir: 'apps/api',
    // Flat in dist/, so every entry sits at the depth of src/ (env.ts finds the repository from there).
    entries: {
      main: 'src/main.ts',
      'create-owner': 'src/cli/create-owner.ts',
      reconcile: 'src/cli/reconcile.ts',
      seed: 'src/seed/cli.ts',
    },
  },
];

export async function buildServices(log: (line: string) => void = () => undefined): Promise<void> {
  const started = Date.now();
  await Promise.all(
    TARGETS.map(async (target) => {
      const root = join(REPO_ROOT, target.dir);
      const outdir = join(root, 'dist');
      rmSync(outdir, { recursive: true, force: true });
      await build({
        absWorkingDir: root,
        entryPoints: Object.fromEntries(
          Object.entries(target.entries).map(([name, source]) => [name, join(root, source)]),
        ),
        outdir,
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: true,
        // No code splitting: a shared chunk in dist/chunks/ would move code that locates files by
        // import.meta.dirname one folder deeper. Each entry carries its own copy instead.
        logLevel: 'warning',
      });
    }),
  );
  log(`built ${TARGETS.map((t) => t.dir).join(', ')} in ${Date.now() - started} ms`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  await buildServices((line) => console.log(line));
}

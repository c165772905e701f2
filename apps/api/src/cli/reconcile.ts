import { loadEnv } from '../env';
import { reconcileCli } from '../modules/reconciliation/cli';

// `pnpm reconcile --date yyyy-MM-dd` (root package.json); see modules/reconciliation/cli.ts.
process.exitCode = await reconcileCli(process.argv.slice(2), () => loadEnv(), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

import { loadEnv } from '../env';
import { rotateAddressesCli } from '../modules/keys/rotate-cli';

// `pnpm keys:rotate-addresses` (root package.json); see modules/keys/rotate-cli.ts. Ctrl-C or SIGTERM lets the batch
// under way commit, then stops; running the command again resumes.
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
process.exitCode = await rotateAddressesCli(process.argv.slice(2), () => loadEnv(), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  signal: stop.signal,
});

// `pnpm db:copy --to postgresql://... [--from file:<path>]`: moves a SQLite shop to PostgreSQL (src/copy/cli.ts).
import { copyCli } from '../src/copy/cli';

process.exitCode = await copyCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

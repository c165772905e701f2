// `pnpm db:backup [--out DIR] [--db URL]`: a consistent backup of the shop's database (src/backup/cli.ts).
import { backupCli } from '../src/backup/cli';

process.exitCode = await backupCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

// `pnpm db:restore BACKUP [--to URL] [--force]`: a backup into an empty database, checked (src/backup/cli.ts).
import { restoreCli } from '../src/backup/cli';

process.exitCode = await restoreCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

import { generateKeysCli } from '../modules/keys/generate-cli';

// `pnpm keys:generate [--out DIR]` (root package.json); see modules/keys/generate-cli.ts. pnpm runs root scripts in
// the repository root; INIT_CWD is not read here (process.env belongs to env.ts), so a relative --out is taken from
// the process's working directory.
process.exitCode = generateKeysCli(process.argv.slice(2), process.cwd(), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

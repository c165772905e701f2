import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { loadEnv } from '../env';
import { createOwnerCli } from '../modules/admin/staff/create-owner';

// `pnpm admin:create-owner --username <name> --display-name <name>` (root package.json); see
// modules/admin/staff/create-owner.ts.

/**
 * A prompt that does not echo what is typed. Written with readline rather than a prompt library: readline writes
 * the question and then everything typed to its output stream, so an output that goes quiet after the question
 * hides the password; a dependency for that is not worth it.
 */
async function hiddenPrompt(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

/** The first line of stdin, for scripts: `printf '%s\n' "$PASSWORD" | pnpm admin:create-owner ...`. */
async function firstLineOfStdin(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    rl.close();
  }
}

const interactive = process.stdin.isTTY === true;
process.exitCode = await createOwnerCli(process.argv.slice(2), () => loadEnv(), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readPassword: (prompt) => (interactive ? hiddenPrompt(prompt) : firstLineOfStdin()),
  interactive,
});

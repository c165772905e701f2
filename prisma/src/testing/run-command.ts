import { spawn } from 'node:child_process';

export interface CommandRun {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs a command line tool of the workspace (`pnpm db:backup`, the tsx entry of a CLI) as a process of its own and
 * collects what it printed, for tests that check a command as an operator runs it: its exit code and both streams.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<CommandRun> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, out, err };
}

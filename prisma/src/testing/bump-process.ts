import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Starts bump-worker.ts in its own process on `file` and resolves once it is connected; `done` resolves with its exit
 * code and output. better-sqlite3 waits for a lock synchronously, so a second writer must be another process.
 */
export async function startBumpProcess(
  file: string,
  categoryId: string,
  rounds: number,
  mode: 'prisma' | 'sql',
): Promise<{ done: Promise<{ code: number | null; output: string }> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'bump-worker.ts'),
      file,
      categoryId,
      String(rounds),
      mode,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => output.includes('ready') && resolve());
    child.once('exit', () => reject(new Error(`worker exited early: ${output}`)));
  });
  return { done };
}

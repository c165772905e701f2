import { startSandbox } from './index';

/** `pnpm --filter sandbox start`: runs the sandbox until SIGINT or SIGTERM. */
const sandbox = await startSandbox();
// The pino logger has already logged the address; say it plainly too for humans at a terminal.
process.stdout.write(`Alipay sandbox gateway: ${sandbox.gatewayUrl}\n`);
// A parent that started the sandbox with an IPC channel (`pnpm start`'s supervisor, the tests) is told where it
// listens: with SANDBOX_PORT=0 that is the one way to learn the port without racing another program for it.
if (process.send) process.send({ listening: sandbox.address }, () => process.disconnect());

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`sandbox did not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}

import { startSandbox } from './index';

/** `pnpm --filter sandbox start`: runs the sandbox until SIGINT or SIGTERM. */
const sandbox = await startSandbox();
// The pino logger has already logged the address; say it plainly too for humans at a terminal.
process.stdout.write(`Alipay sandbox gateway: ${sandbox.gatewayUrl}\n`);

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

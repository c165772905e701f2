import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processCpuMs, processesCpuMs, serverCpuMs } from './cpu';

/** The id of a process that has exited (and been reaped), so /proc has no entry for it. */
function goneProcessId(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

describe('processesCpuMs', () => {
  it("sums the processes' CPU time", () => {
    const own = processCpuMs(process.pid);
    expect(own).not.toBeNull();
    const twice = processesCpuMs([process.pid, process.pid]);
    // Read one after the other, so the second reading may have grown by a tick.
    expect(twice).toBeGreaterThanOrEqual(2 * own!);
  });

  it('is null when any process is missing, or none is given', () => {
    expect(processesCpuMs([process.pid, goneProcessId()])).toBeNull();
    expect(processesCpuMs([process.pid, undefined])).toBeNull();
    expect(processesCpuMs([])).toBeNull();
  });
});

describe('serverCpuMs', () => {
  it("counts a server's children while they run and after they are reaped", async () => {
    const { spawn } = await import('node:child_process');
    // A child that burns 300 ms of CPU time (not of wall time: on a busy machine it may wait for a core), says so,
    // then waits to be told to exit.
    const child = spawn(
      process.execPath,
      [
        '-e',
        [
          'const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };',
          'while (used() < 300);',
          'process.stdout.write("burnt");',
          'process.stdin.on("data", () => process.exit(0));',
        ].join(' '),
      ],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const running = serverCpuMs(process.pid)!;
    // /proc truncates user and system time to 10 ms ticks each.
    expect(running - processCpuMs(process.pid)!).toBeGreaterThanOrEqual(280);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.write('x');
    await exited;
    // Reaped: its time is now in this process's children's time, so the server's total did not drop.
    expect(serverCpuMs(process.pid)).toBeGreaterThanOrEqual(running);
  });

  it('is null for a server that is gone', () => {
    expect(serverCpuMs(goneProcessId())).toBeNull();
    expect(serverCpuMs(undefined)).toBeNull();
  });
});

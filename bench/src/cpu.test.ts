import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processCpuMs, processesCpuMs } from './cpu';

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

import { readFileSync } from 'node:fs';

/**
 * CPU time a process has used, user plus system, in milliseconds, from /proc/<pid>/stat (Linux; null elsewhere).
 * Throughput on a shared machine swings with whatever else runs; the API's CPU time per answer hardly does, so the
 * benchmark reports both. /proc reports clock ticks of USER_HZ, which Linux fixes at 100 for user space.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10 : null;
  } catch {
    return null;
  }
}

/**
 * The CPU time of several processes together (the API's processes behind the proxy), in milliseconds: null when
 * there are none or any one of them cannot be read, since a sum missing a process would look like a cheaper API.
 */
export function processesCpuMs(pids: readonly (number | undefined)[]): number | null {
  if (pids.length === 0) return null;
  let total = 0;
  for (const pid of pids) {
    const cpuMs = processCpuMs(pid);
    if (cpuMs === null) return null;
    total += cpuMs;
  }
  return total;
}

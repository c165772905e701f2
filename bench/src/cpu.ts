import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time a process has used, user plus system, in milliseconds, from /proc/<pid>/stat (Linux; null elsewhere).
 * Throughput on a shared machine swings with whatever else runs; the API's CPU time per answer hardly does, so the
 * benchmark reports both. /proc reports clock ticks of USER_HZ, which Linux fixes at 100 for user space.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const stat = readStat(pid);
  return stat ? stat.utime + stat.stime : null;
}

interface Stat {
  ppid: number;
  /** User, system, and reaped children's user and system time, in milliseconds. */
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
}

function readStat(pid: number): Stat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [ppid, utime, stime, cutime, cstime] = [1, 11, 12, 13, 14].map((i) => Number(fields[i]));
    if (![ppid, utime, stime, cutime, cstime].every(Number.isFinite)) return null;
    return {
      ppid: ppid!,
      utime: utime! * 10,
      stime: stime! * 10,
      cutime: cutime! * 10,
      cstime: cstime! * 10,
    };
  } catch {
    return null;
  }
}

/**
 * The CPU time of a PostgreSQL server, in milliseconds: the postmaster, every process it started that is still
 * running (one backend per connection, the WAL writer, the checkpointer...) and those it has reaped (a backend whose
 * connection closed adds its time to the postmaster's children's time), so the difference over a load counts every
 * process that ran in it. Null where /proc is unavailable or the postmaster is gone.
 */
export function serverCpuMs(postmasterPid: number | undefined): number | null {
  if (postmasterPid === undefined) return null;
  const postmaster = readStat(postmasterPid);
  if (!postmaster) return null;
  let total = postmaster.utime + postmaster.stime + postmaster.cutime + postmaster.cstime;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const child = readStat(Number(entry));
    // A child that exits between the listing and its read has moved its time to the postmaster's reaped total.
    if (child?.ppid === postmasterPid) total += child.utime + child.stime;
  }
  return total;
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

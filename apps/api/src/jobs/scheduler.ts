import type { Logger } from 'pino';

export interface Job {
  name: string;
  intervalMs: number;
  /** Does one pass and reports what it did (logged when non-empty). */
  run(): Promise<Record<string, number> | void>;
}

export interface JobRunner {
  /** Runs every job once, now, in order (tests and the CLI use it instead of waiting for timers). */
  runAllOnce(): Promise<void>;
  /**
   * Starts no pass from now on and waits for the passes under way: all of them, or, with `deadlineMs`, at most that
   * long. Resolves true when none is left running.
   */
  stop(deadlineMs?: number): Promise<boolean>;
}

/**
 * Runs background jobs on intervals inside the API process. A job never overlaps itself in one process; two API
 * processes may run the same job at once: each job takes the lease of every item it works on (jobs/leases.ts), so
 * the processes share the items instead of doing each twice, and every effect is a guarded update besides.
 */
export function startJobs(jobs: readonly Job[], logger: Logger, options: { enabled: boolean }): JobRunner {
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const runJob = (job: Job): Promise<void> => {
    const inFlight = running.get(job.name);
    if (inFlight) return inFlight;
    const pass = (async () => {
      const started = performance.now();
      try {
        const stats = await job.run();
        if (stats && Object.values(stats).some((n) => n > 0)) {
          logger.info(
            { job: job.name, ...stats, durationMs: Math.round(performance.now() - started) },
            'job pass',
          );
        }
      } catch (error) {
        logger.error({ job: job.name, err: error }, 'job pass failed');
      } finally {
        running.delete(job.name);
      }
    })();
    running.set(job.name, pass);
    return pass;
  };

  if (options.enabled) {
    for (const job of jobs) {
      const timer = setInterval(() => {
        if (!stopped) void runJob(job);
      }, job.intervalMs);
      timer.unref();
      timers.push(timer);
    }
  }

  return {
    async runAllOnce() {
      for (const job of jobs) await runJob(job);
    },
    async stop(deadlineMs) {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      const passes = Promise.allSettled([...running.values()]).then(() => true);
      if (deadlineMs === undefined) return passes;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((done) => {
        timer = setTimeout(() => done(false), Math.max(0, deadlineMs));
      });
      const finished = await Promise.race([passes, late]);
      clearTimeout(timer);
      return finished;
    },
  };
}

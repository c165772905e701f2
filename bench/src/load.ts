import autocannon from 'autocannon';
import { processCpuMs, processesCpuMs, serverCpuMs } from './cpu';

/** One HTTP request of a load; `next()` makes a fresh one for every request sent. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What one connection remembers between the steps of a round (a purchase's order id between its two steps). */
export type ConnectionContext = Record<string, unknown>;

export interface LoadStep {
  next: (context: ConnectionContext) => LoadRequest | null;
  /** Called with the step's answer, to put what the next step needs into the context. */
  onResponse?: (status: number, body: string, context: ConnectionContext) => void;
}

export interface LoadSpec {
  /** The API's origin. */
  url: string;
  connections: number;
  durationSec: number;
  /** Unmeasured load first. */
  warmupSec: number;
  /** The next request, or null when there is nothing left to send (the load then ends early). */
  next?: () => LoadRequest | null;
  /**
   * Instead of `next`: a sequence each connection sends in turn (an order, then its payment), starting over after the
   * last step. A step's context is shared by the steps of one round; a step whose request depends on an answer that
   * did not come (its `next` gives null) ends the round early.
   */
  steps?: readonly LoadStep[];
  /** The warm-up's requests, when they must not come from `next` (a list of notifies each sent a fixed number of times). */
  warmupNext?: () => LoadRequest | null;
  /** The API processes' ids (one, or each behind the proxy), to measure the CPU time they spend on the load together. */
  apiPids?: readonly (number | undefined)[];
  /** The sandbox's, for loads that reach it (a purchase creates its trade there): its share of the machine. */
  sandboxPid?: number | undefined;
  /** The PostgreSQL server's postmaster, when the bench started the server: the database's CPU for the load. */
  databasePid?: number | undefined;
}

/** What one measured load did. Latencies are over every answer, whatever its status. */
export interface LoadResult {
  /** Answers received (any status). */
  responses: number;
  /** When the measured load started and stopped (epoch ms), to find what the database recorded meanwhile. */
  startedAtMs: number;
  endedAtMs: number;
  /** Seconds the measured load ran. */
  elapsedSec: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts (no answer at all). */
  errors: number;
  timeouts: number;
  /**
   * CPU time the API used per answer, in milliseconds, summed over its processes (null where /proc is unavailable or
   * a process is gone): what an answer costs, however busy the machine is. 1000 / apiCpuMsPerAnswer is what one fully
   * available core could answer. nginx's CPU, behind the proxy, is not in it.
   */
  apiCpuMsPerAnswer: number | null;
  /** The API processes' CPU time together over the run's wall time: 1 is one core busy all the time. */
  apiCpuShare: number | null;
  /** The sandbox's CPU time per answer and over the wall time, the same way (null when not asked or unavailable). */
  sandboxCpuMsPerAnswer: number | null;
  sandboxCpuShare: number | null;
  /** PostgreSQL's CPU time (every server process) per answer, when the bench started the server; otherwise null. */
  databaseCpuMsPerAnswer: number | null;
}

/**
 * Runs one load with autocannon: `connections` keep-alive connections, each sending its next request as soon as the
 * previous one is answered, for `durationSec`. Latencies are taken from autocannon's per-response event in
 * milliseconds with microsecond precision (its own histogram keeps whole milliseconds, too coarse for the ceiling).
 */
async function runOnce(
  spec: Pick<LoadSpec, 'url' | 'connections' | 'apiPids' | 'sandboxPid' | 'databasePid'>,
  durationSec: number,
  steps: readonly LoadStep[],
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let exhausted = false;
  let stoppedAt: number | undefined;
  const cpuBefore = processesCpuMs(spec.apiPids ?? []);
  const sandboxCpuBefore = spec.sandboxPid === undefined ? null : processCpuMs(spec.sandboxPid);
  const databaseCpuBefore = serverCpuMs(spec.databasePid);
  const startedAtMs = Date.now();
  const started = performance.now();
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: durationSec,
      // The default 10 s would hide a stall; a request this slow is reported as a timeout.
      timeout: 30,
      requests: steps.map((step, index) => ({
        setupRequest: (request: autocannon.Request, context: Record<string, unknown>) => {
          const made = exhausted ? null : step.next(context);
          if (!made && index > 0 && !exhausted) {
            // This round cannot go on (its first step was refused): autocannon starts the next round.
            return null as unknown as autocannon.Request;
          }
          if (!made) {
            // Nothing left: stop the load (autocannon would otherwise start over from its first request). The
            // filler requests sent meanwhile, and any answer arriving after this point, are not counted.
            if (!exhausted) {
              exhausted = true;
              stoppedAt = performance.now();
              setImmediate(() => instance.stop());
            }
            return { ...request, method: 'GET', path: '/api/ping', headers: {}, body: undefined };
          }
          return {
            ...request,
            method: made.method,
            path: made.path,
            headers: made.headers ?? {},
            body: made.body,
          };
        },
        ...(step.onResponse
          ? {
              onResponse: (status: number, body: string, context: Record<string, unknown>) => {
                if (!exhausted) step.onResponse!(status, body, context);
              },
            }
          : {}),
      })) as autocannon.Request[],
    },
    (error: unknown, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (exhausted) return;
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await done;
  const cpuAfter = processesCpuMs(spec.apiPids ?? []);
  const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  const sandboxCpuAfter = spec.sandboxPid === undefined ? null : processCpuMs(spec.sandboxPid);
  const sandboxCpuMs =
    sandboxCpuBefore === null || sandboxCpuAfter === null ? null : sandboxCpuAfter - sandboxCpuBefore;
  const databaseCpuAfter = serverCpuMs(spec.databasePid);
  const databaseCpuMs =
    databaseCpuBefore === null || databaseCpuAfter === null ? null : databaseCpuAfter - databaseCpuBefore;
  const elapsedSec = ((stoppedAt ?? performance.now()) - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    responses: latencies.length,
    startedAtMs,
    endedAtMs: startedAtMs + Math.round(elapsedSec * 1000),
    elapsedSec,
    rps: latencies.length / elapsedSec,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1] ?? 0,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    apiCpuMsPerAnswer: cpuMs === null || latencies.length === 0 ? null : cpuMs / latencies.length,
    apiCpuShare: cpuMs === null ? null : cpuMs / (elapsedSec * 1000),
    sandboxCpuMsPerAnswer:
      sandboxCpuMs === null || latencies.length === 0 ? null : sandboxCpuMs / latencies.length,
    sandboxCpuShare: sandboxCpuMs === null ? null : sandboxCpuMs / (elapsedSec * 1000),
    databaseCpuMsPerAnswer:
      databaseCpuMs === null || latencies.length === 0 ? null : databaseCpuMs / latencies.length,
  };
}

/** A warm-up load (its figures are discarded), then the measured one. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const next = spec.next;
  const steps = spec.steps ?? (next ? [{ next: () => next() }] : []);
  if (steps.length === 0) throw new Error('a load needs `next` or `steps`');
  if (spec.warmupSec > 0) {
    await runOnce(spec, spec.warmupSec, spec.warmupNext ? [{ next: spec.warmupNext }] : steps);
  }
  return runOnce(spec, spec.durationSec, steps);
}

/** Answers with a status outside `allowed`, for the correctness checks. */
export function unexpectedStatuses(result: LoadResult, allowed: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [status, count] of Object.entries(result.statuses)) {
    if (!allowed.includes(Number(status))) out[status] = count;
  }
  return out;
}

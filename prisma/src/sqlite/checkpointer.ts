// WAL checkpoints on a thread of their own, so the connection that serves requests never runs one.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * In WAL mode every commit appends the changed pages to the -wal file, and a checkpoint copies them back into the
 * database file and syncs both (synchronous NORMAL syncs at checkpoints, not at commits). SQLite runs one by default
 * in whichever connection's commit takes the WAL past 1,000 pages, inside that commit: on the API's one connection
 * that is a request waiting on page copies and two fsyncs several times a second under load. The benchmark's purchase
 * load went from about 300 to about 400 purchases a second when they moved out (bench/README.md).
 *
 * So this worker thread holds a second connection to the file that runs PRAGMA wal_checkpoint(PASSIVE) every
 * CHECKPOINT_INTERVAL_MS. PASSIVE never blocks readers or the writer: it copies what no reader still needs, and once
 * it has copied all of it the next writer starts the WAL from the beginning again, so the file does not grow. When
 * another process's worker (or a migration) holds the checkpoint lock, the call returns busy at once (busy_timeout
 * 0) and the next tick tries again. better-sqlite3 is synchronous, so a thread of its own is the way to keep this off
 * the event loop; node:worker_threads is all it takes.
 *
 * The worker alone cannot finish under steady writes: commits keep appending while it copies and syncs, so it never
 * finds the WAL fully copied, and the WAL never starts over. Under the benchmark's checkout load (about a thousand
 * orders a second, some 25 pages each) it grew to 1.3 GB in twelve seconds, every commit appending to fresh file
 * space, and the API's CPU per order rose by half. So the client's connection keeps an automatic checkpoint too, at
 * WAL_BACKSTOP_PAGES (connection.ts) rather than SQLite's 1,000: it runs only when the WAL got that long, and then
 * copies just what the worker has not copied yet, while no commit of this process can run, so the WAL starts over
 * at the next commit. While a worker pass holds the checkpoint lock that checkpoint is busy, and the next commit
 * tries again, so the WAL can pass the backstop by what is committed during one pass (twice the backstop on a loaded
 * machine, in connection.sqlite.int.test.ts). journal_size_limit then cuts the file back.
 */

/** How often the worker checkpoints; under writes that never pause, the connection's backstop takes over. */
export const CHECKPOINT_INTERVAL_MS = 200;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked by another connection's checkpoint: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** The better-sqlite3 the adapter uses, resolved from here so the worker loads the same build. */
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

export interface Checkpointer {
  /** Checkpoints once more, closes the worker's connection and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Starts the worker for the database `file`. Should it fail (it cannot open the file, say), `onFailure` is called
 * once, and the caller turns automatic checkpoints back on so the WAL cannot grow without bound.
 */
export function startCheckpointer(
  file: string,
  onFailure: (error: Error) => void,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: DRIVER, file, intervalMs },
    // The worker needs none of the parent's flags (a loader, a profiler).
    execArgv: [],
  });
  // It must never keep a process alive that has nothing else to do.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', onFailure);
  return {
    stop: () => {
      // Held until it has closed its connection, so a process that is shutting down waits for it.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}

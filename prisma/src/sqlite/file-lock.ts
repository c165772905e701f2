// A lock between processes that share a folder, made of SQLite's own file locking (Node has no flock).
import Database from 'better-sqlite3';

/** How long a process that wants a held lock waits before it asks again. */
const RETRY_MS = 50;

/**
 * Runs `work` while this connection holds an exclusive transaction on the SQLite file `lockFile` (created when
 * missing, and left in place: deleting it while another process waits on it would give the next one a different file
 * to lock). Another caller, in this process or another, asks again every RETRY_MS until the holder is done, however
 * long that takes; the connection is made with no busy timeout, so the wait never blocks the event loop. A process
 * that dies while holding the lock releases it with the file descriptor. https://www.sqlite.org/lockingv3.html
 */
export async function withFileLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  const lock = new Database(lockFile, { timeout: 0 });
  try {
    for (;;) {
      try {
        lock.exec('BEGIN EXCLUSIVE');
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    try {
      return await work();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}

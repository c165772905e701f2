/**
 * Runs a job when its next piece of work is due, or at once when woken: the notify sender and the expiry sweeper
 * sleep until exactly the next due instant (so a time-scaled 240 ms retry is not lost in a coarse poll) and never
 * longer than `maxWaitMs`. Runs never overlap; a wake during a run triggers one more run.
 */
export class WakeTimer {
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #again = false;
  #stopped = true;

  constructor(
    private readonly job: () => void | Promise<void>,
    private readonly nextDue: () => Date | null,
    private readonly onError: (error: unknown) => void,
    private readonly maxWaitMs = 60_000,
  ) {}

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#fire(), 0);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #fire(): Promise<void> {
    if (this.#stopped) return;
    this.#running = true;
    try {
      await this.job();
    } catch (error) {
      this.onError(error);
    } finally {
      this.#running = false;
    }
    if (this.#again) {
      this.#again = false;
      this.wake();
    } else {
      this.#arm();
    }
  }

  #arm(): void {
    if (this.#stopped) return;
    let delay = this.maxWaitMs;
    try {
      const due = this.nextDue();
      if (due) delay = Math.min(this.maxWaitMs, Math.max(0, due.getTime() - Date.now()));
    } catch (error) {
      this.onError(error);
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#fire(), delay);
  }
}

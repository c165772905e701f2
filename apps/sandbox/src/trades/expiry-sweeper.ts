import type { Deps } from '../deps';
import { WakeTimer } from '../wake-timer';
import { expireDueTrades } from './trades.service';

/**
 * Closes unpaid trades when their expiry passes, so the close notify goes out on time even if nobody looks at the
 * trade (lookups also close lazily). Sleeps until the earliest expiry; trade creation wakes it.
 */
export class ExpirySweeper {
  readonly #timer: WakeTimer;

  constructor(deps: Deps) {
    this.#timer = new WakeTimer(
      () => {
        while (expireDueTrades(deps) > 0) {
          // keep going until no expired trade is left
        }
      },
      () => deps.store.trades.nextExpiry(),
      (error) => deps.logger.error({ err: error }, 'expiry sweeper failed'),
    );
  }

  start(): void {
    this.#timer.start();
  }

  wake(): void {
    this.#timer.wake();
  }

  stop(): void {
    this.#timer.stop();
  }
}

import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from './clock';
import type { SandboxConfig } from './config';
import type { Store } from './store/store';

/**
 * What services need, passed explicitly (services never see Koa's ctx). `signals` lets a service wake the notify
 * sender or the expiry sweeper after it commits, without importing them.
 */
export interface Deps {
  store: Store;
  clock: Clock;
  config: SandboxConfig;
  logger: Logger;
  alipayPrivateKey: KeyObject;
  signals: Signals;
  /** The origin pages and bill URLs use (known once the server listens). */
  publicUrl(): string;
}

export interface Signals {
  /** A notify was queued or released: the sender should look for due work. */
  notifyQueued(): void;
  /** An unpaid trade was created: the sweeper should recompute its next wake-up. */
  tradeOpened(): void;
}

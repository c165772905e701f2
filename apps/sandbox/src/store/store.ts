import { AccountsRepo } from './accounts.repo';
import { BillsRepo } from './bills.repo';
import { CertificatesRepo } from './certificates.repo';
import { openDatabase, type Db } from './db';
import { FaultsRepo } from './faults.repo';
import { MessagesRepo } from './messages.repo';
import { NotifiesRepo } from './notifies.repo';
import { PendingOrdersRepo } from './pending-orders.repo';
import { TradesRepo } from './trades.repo';

/** The sandbox's persistent state: one SQLite file, one connection, synchronous transactions. */
export class Store {
  readonly accounts: AccountsRepo;
  readonly trades: TradesRepo;
  readonly notifies: NotifiesRepo;
  readonly faults: FaultsRepo;
  readonly bills: BillsRepo;
  readonly certificates: CertificatesRepo;
  readonly pendingOrders: PendingOrdersRepo;
  readonly messages: MessagesRepo;

  constructor(readonly db: Db) {
    this.accounts = new AccountsRepo(db);
    this.trades = new TradesRepo(db);
    this.notifies = new NotifiesRepo(db);
    this.faults = new FaultsRepo(db);
    this.bills = new BillsRepo(db);
    this.certificates = new CertificatesRepo(db);
    this.pendingOrders = new PendingOrdersRepo(db);
    this.messages = new MessagesRepo(db);
  }

  static open(file: string): Store {
    return new Store(openDatabase(file));
  }

  /** Runs `fn` in one IMMEDIATE transaction; it commits when `fn` returns and rolls back when it throws. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * The sandbox's own SQLite schema, versioned with `PRAGMA user_version`: migration N brings a database from version
 * N to N + 1, inside one transaction. Append new migrations; never edit a released one.
 *
 * Conventions: money is integer fen (`*_fen`); every `*_at` column is a UTC instant in epoch milliseconds.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE apps (
    app_id TEXT PRIMARY KEY,
    public_key_pem TEXT NOT NULL,
    open_id_mode INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE buyers (
    user_id TEXT PRIMARY KEY,
    open_id TEXT NOT NULL UNIQUE,
    nickname TEXT NOT NULL,
    logon_id TEXT NOT NULL,
    balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
    created_at INTEGER NOT NULL
  );

  CREATE TABLE auth_codes (
    code TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES buyers (user_id),
    scope TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );

  CREATE TABLE oauth_tokens (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    app_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES buyers (user_id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );

  CREATE TABLE trades (
    trade_no TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    out_trade_no TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT,
    total_fen INTEGER NOT NULL CHECK (total_fen > 0),
    buyer_user_id TEXT NOT NULL REFERENCES buyers (user_id),
    buyer_by_open_id INTEGER NOT NULL,
    product_code TEXT,
    notify_url TEXT,
    charset TEXT NOT NULL,
    passback_params TEXT,
    status TEXT NOT NULL CHECK (status IN ('WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_CLOSED', 'TRADE_FINISHED')),
    time_expire TEXT,
    timeout_express TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    paid_at INTEGER,
    closed_at INTEGER,
    close_reason TEXT CHECK (close_reason IN ('timeout', 'merchant', 'refunded')),
    refunded_fen INTEGER NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= total_fen),
    UNIQUE (app_id, out_trade_no)
  );
  CREATE INDEX trades_open_by_expiry ON trades (expires_at) WHERE status = 'WAIT_BUYER_PAY';
  CREATE INDEX trades_by_paid_at ON trades (app_id, paid_at);
  CREATE INDEX trades_by_out_trade_no ON trades (out_trade_no);

  CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    trade_no TEXT NOT NULL REFERENCES trades (trade_no),
    out_request_no TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    reason TEXT,
    source TEXT NOT NULL CHECK (source IN ('gateway', 'control')),
    created_at INTEGER NOT NULL,
    UNIQUE (trade_no, out_request_no)
  );
  CREATE INDEX refunds_by_created_at ON refunds (created_at);

  CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
    app_id TEXT NOT NULL,
    trade_no TEXT NOT NULL REFERENCES trades (trade_no),
    out_trade_no TEXT NOT NULL,
    out_request_no TEXT,
    buyer_user_id TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    buyer_balance_after_fen INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX ledger_by_trade ON ledger_entries (trade_no);

  CREATE TABLE trade_events (
    id INTEGER PRIMARY KEY,
    trade_no TEXT NOT NULL REFERENCES trades (trade_no),
    kind TEXT NOT NULL,
    detail TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX trade_events_by_trade ON trade_events (trade_no);

  CREATE TABLE notifies (
    id INTEGER PRIMARY KEY,
    notify_id TEXT NOT NULL UNIQUE,
    app_id TEXT NOT NULL,
    trade_no TEXT NOT NULL REFERENCES trades (trade_no),
    out_trade_no TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'close')),
    notify_url TEXT NOT NULL,
    charset TEXT NOT NULL,
    fields TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    held_seq INTEGER,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX notifies_due ON notifies (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX notifies_by_out_trade_no ON notifies (out_trade_no);

  CREATE TABLE notify_attempts (
    id INTEGER PRIMARY KEY,
    notify_id TEXT NOT NULL REFERENCES notifies (notify_id),
    attempt_no INTEGER NOT NULL,
    copy_no INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    http_status INTEGER,
    response_body TEXT,
    error TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'dropped')),
    faults TEXT,
    sent_body TEXT
  );
  CREATE INDEX notify_attempts_by_notify ON notify_attempts (notify_id);

  CREATE TABLE faults (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    params TEXT NOT NULL,
    remaining INTEGER,
    used INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE bill_adjustments (
    id INTEGER PRIMARY KEY,
    trade_no TEXT NOT NULL,
    out_request_no TEXT,
    field TEXT,
    amount_fen INTEGER,
    omit INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE bill_downloads (
    token TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    bill_date TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: certificate mode (the sandbox's CA, Alipay's certificates, apps registered with a certificate), page and
  // QR payments (orders that become trades only when a buyer pays or scans), and the method that created a trade.
  `
  CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('root', 'intermediate', 'alipay', 'app')),
    sn TEXT NOT NULL,
    app_id TEXT,
    cert_pem TEXT NOT NULL,
    chain_pem TEXT NOT NULL,
    private_key_pem TEXT,
    current INTEGER NOT NULL DEFAULT 0,
    not_after INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX certificates_by_sn ON certificates (sn);
  CREATE INDEX certificates_by_role ON certificates (role, app_id);

  ALTER TABLE apps ADD COLUMN app_cert_sn TEXT;

  ALTER TABLE trades ADD COLUMN method TEXT NOT NULL DEFAULT 'alipay.trade.create';

  CREATE TABLE pending_orders (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('wap', 'precreate')),
    app_id TEXT NOT NULL,
    out_trade_no TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT,
    total_fen INTEGER NOT NULL CHECK (total_fen > 0),
    product_code TEXT,
    notify_url TEXT,
    return_url TEXT,
    quit_url TEXT,
    charset TEXT NOT NULL,
    passback_params TEXT,
    time_expire TEXT,
    timeout_express TEXT,
    qr_code TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'traded')),
    trade_no TEXT REFERENCES trades (trade_no),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    closed_at INTEGER,
    UNIQUE (app_id, out_trade_no)
  );
  `,
  // 3: subscription messages. The templates registered per app, the agreements a buyer gave (one row per one-time
  // agreement, spent by the message it allowed), and the messages the gateway accepted.
  `
  CREATE TABLE message_templates (
    app_id TEXT NOT NULL,
    template_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    keywords TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, template_id)
  );

  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    buyer_user_id TEXT NOT NULL REFERENCES buyers (user_id),
    template_id TEXT NOT NULL,
    page TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    FOREIGN KEY (app_id, template_id) REFERENCES message_templates (app_id, template_id)
  );
  CREATE INDEX messages_by_buyer ON messages (buyer_user_id, created_at);

  CREATE TABLE subscription_agreements (
    id INTEGER PRIMARY KEY,
    app_id TEXT NOT NULL,
    buyer_user_id TEXT NOT NULL REFERENCES buyers (user_id),
    template_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('page', 'control')),
    created_at INTEGER NOT NULL,
    used_at INTEGER,
    message_id TEXT REFERENCES messages (id),
    CHECK ((used_at IS NULL) = (message_id IS NULL)),
    FOREIGN KEY (app_id, template_id) REFERENCES message_templates (app_id, template_id)
  );
  CREATE INDEX subscription_agreements_unused ON subscription_agreements (app_id, buyer_user_id, template_id)
    WHERE used_at IS NULL;
  `,
];

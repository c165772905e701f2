import {
  type AdminOrderDetail,
  type AdminShipBody,
  COMMON_CARRIERS,
  formatFen,
  type RefundCreateBody,
  type RefundView,
} from '@shop/contract';
import { useState } from 'react';

import { api } from '../../lib/api';
import { newIdempotencyKey } from '../../lib/idempotency';
import { useSubmit } from '../../lib/use-submit';
import { parseYuanToFen, yuanParseMessage } from '../../lib/yuan';
import { Dialog, DialogFooter } from '../dialog';
import { ErrorBanner, Field } from '../ui';

interface DialogProps {
  order: AdminOrderDetail;
  open: boolean;
  onClose: () => void;
}

/** The amount the server said is left when it refused a refund as too large. */
function refundableFrom(details: unknown): number | null {
  if (typeof details !== 'object' || details === null || !('refundableFen' in details)) return null;
  const value: unknown = details.refundableFen;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/**
 * Refund, full or partial. The amount is typed in yuan and read as a string into integer fen (`parseYuanToFen`),
 * capped by what the order can still refund. Each submission carries an `Idempotency-Key`: the key is made when the
 * dialog opens and again whenever the amount or reason changes, so a double click or a retry after a lost answer
 * sends the same key and the API answers with the first refund instead of refunding twice.
 */
export function RefundDialog({
  order,
  open,
  onClose,
  onDone,
}: DialogProps & { onDone: (refund: RefundView) => void }) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(open);
  const [key, setKey] = useState(newIdempotencyKey);
  const [openedFor, setOpenedFor] = useState<boolean>(false);

  // A fresh form and key each time the dialog opens (state reset during render, React's documented pattern).
  if (open !== openedFor) {
    setOpenedFor(open);
    if (open) {
      setAmount('');
      setReason('');
      setTouched(false);
      setKey(newIdempotencyKey());
    }
  }

  const parsed = parseYuanToFen(amount, order.refundableFen);
  const reasonProblem =
    reason.trim() === '' ? '请填写退款原因' : reason.trim().length > 256 ? '退款原因最多 256 个字' : null;
  const edit = (apply: () => void) => {
    apply();
    setKey(newIdempotencyKey());
  };

  const submit = () => {
    setTouched(true);
    if (!parsed.ok || reasonProblem !== null) return;
    void run(async () => {
      const body: RefundCreateBody = { amountFen: parsed.fen, reason: reason.trim() };
      const refund = await api.post<RefundView>(
        `/api/admin/orders/${encodeURIComponent(order.id)}/refunds`,
        body,
        {
          headers: { 'Idempotency-Key': key },
        },
      );
      onDone(refund);
    });
  };

  const refundable = error?.code === 'REFUND_EXCEEDS_PAID' ? refundableFrom(error.details) : null;
  return (
    <Dialog
      open={open}
      title="退款"
      onClose={onClose}
      onSubmit={submit}
      testId="refund-dialog"
      footer={
        <DialogFooter onCancel={onClose} busy={busy} label="确认退款" tone="danger" testId="refund-submit" />
      }
    >
      <ErrorBanner
        error={error}
        testId="dialog-error"
        extra={refundable === null ? undefined : <div>{`当前最多可退 ${formatFen(refundable)}`}</div>}
      />
      <p className="muted" style={{ marginTop: 0 }}>
        订单 <span className="mono">{order.orderNo}</span> 实付 {formatFen(order.totalFen)}，已退{' '}
        {formatFen(order.refundedFen)}
        {order.refundPendingFen > 0 ? `，退款中 ${formatFen(order.refundPendingFen)}` : ''}。
      </p>
      <Field
        label="退款金额（元）"
        required
        hint={`最多可退 ${formatFen(order.refundableFen)}，精确到分`}
        error={touched && !parsed.ok ? yuanParseMessage(parsed.reason) : null}
      >
        {(props) => (
          <div className="row">
            <input
              {...props}
              className="input grow"
              inputMode="decimal"
              autoComplete="off"
              placeholder="例如 12.50"
              value={amount}
              onChange={(e) => edit(() => setAmount(e.target.value))}
              onBlur={() => setTouched(true)}
              data-testid="refund-amount"
            />
            <button
              type="button"
              className="btn"
              onClick={() =>
                edit(() => setAmount(formatFen(order.refundableFen, { symbol: false, grouping: false })))
              }
            >
              全部
            </button>
          </div>
        )}
      </Field>
      <Field label="退款原因" required error={touched ? reasonProblem : null} hint="会随退款请求发给支付宝">
        {(props) => (
          <textarea
            {...props}
            className="textarea"
            maxLength={256}
            value={reason}
            onChange={(e) => edit(() => setReason(e.target.value))}
            data-testid="refund-reason"
          />
        )}
      </Field>
    </Dialog>
  );
}

const TRACKING = /^[A-Za-z0-9-]{4,40}$/;

export function ShipDialog({ order, open, onClose, onDone }: DialogProps & { onDone: () => void }) {
  const [carrier, setCarrier] = useState<string>(COMMON_CARRIERS[0]);
  const [trackingNo, setTrackingNo] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(open);
  const carrierProblem =
    carrier.trim() === '' ? '请填写快递公司' : carrier.trim().length > 32 ? '最多 32 个字' : null;
  const trackingProblem = TRACKING.test(trackingNo.trim()) ? null : '运单号为 4 到 40 位字母、数字或 -';

  const submit = () => {
    setTouched(true);
    if (carrierProblem !== null || trackingProblem !== null) return;
    void run(async () => {
      const body: AdminShipBody = { carrier: carrier.trim(), trackingNo: trackingNo.trim() };
      await api.post(`/api/admin/orders/${encodeURIComponent(order.id)}/ship`, body);
      onDone();
    });
  };

  return (
    <Dialog
      open={open}
      title="发货"
      onClose={onClose}
      onSubmit={submit}
      testId="ship-dialog"
      footer={<DialogFooter onCancel={onClose} busy={busy} label="确认发货" testId="ship-submit" />}
    >
      <ErrorBanner error={error} testId="dialog-error" />
      <p className="muted" style={{ marginTop: 0 }}>
        收货人 {order.address.name}，{order.address.province}
        {order.address.city}
        {order.address.district}
      </p>
      <Field label="快递公司" required error={touched ? carrierProblem : null}>
        {(props) => (
          // Picked from the carriers shoppers know; the name is what the shop's 查看物流 shows.
          <select
            {...props}
            className="input"
            value={carrier}
            onChange={(e) => setCarrier(e.target.value)}
            data-testid="ship-carrier"
          >
            {COMMON_CARRIERS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="运单号" required error={touched ? trackingProblem : null}>
        {(props) => (
          <input
            {...props}
            className="input mono"
            value={trackingNo}
            onChange={(e) => setTrackingNo(e.target.value)}
            data-testid="ship-tracking"
          />
        )}
      </Field>
    </Dialog>
  );
}

export function CompleteDialog({ order, open, onClose, onDone }: DialogProps & { onDone: () => void }) {
  const { busy, error, run } = useSubmit(open);
  const submit = () =>
    void run(async () => {
      await api.post(`/api/admin/orders/${encodeURIComponent(order.id)}/complete`, {});
      onDone();
    });
  return (
    <Dialog
      open={open}
      title="完成订单"
      onClose={onClose}
      onSubmit={submit}
      testId="complete-dialog"
      footer={<DialogFooter onCancel={onClose} busy={busy} label="确认完成" testId="complete-submit" />}
    >
      <ErrorBanner error={error} testId="dialog-error" />
      <p style={{ marginTop: 0 }}>
        确认订单 <span className="mono">{order.orderNo}</span> 已送达并完成？
        {order.carrier === null ? null : (
          <span className="muted">
            （{order.carrier} {order.trackingNo}）
          </span>
        )}
      </p>
    </Dialog>
  );
}

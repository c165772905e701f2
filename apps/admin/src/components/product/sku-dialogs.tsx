import {
  type AdminProductDetail,
  type AdminSkuPriceBody,
  type AdminSkuView,
  type AdminStockAdjustmentBody,
  formatFen,
  MAX_SKU_PRICE_FEN,
} from '@shop/contract';
import { useState } from 'react';

import { api } from '../../lib/api';
import { ApiError } from '../../lib/api-client';
import { errorHeadline } from '../../lib/errors';
import { parseStockDelta } from '../../lib/product-form';
import { parseYuanToFen, yuanParseMessage } from '../../lib/yuan';
import { Dialog } from '../dialog';
import { Banner, Field } from '../ui';

interface SkuDialogProps {
  productId: string;
  sku: AdminSkuView | null;
  onClose: () => void;
  onDone: (product: AdminProductDetail) => void;
}

const skuPath = (productId: string, skuId: string) =>
  `/api/admin/products/${encodeURIComponent(productId)}/skus/${encodeURIComponent(skuId)}`;

function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (action: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (cause) {
      setError(cause instanceof ApiError ? cause : new ApiError(0, 'NETWORK_ERROR', String(cause)));
    } finally {
      setBusy(false);
    }
  };
  const banner =
    error === null ? null : (
      <Banner tone="danger" title={errorHeadline(error.code)} testId="dialog-error">
        <span className="muted">{error.message}</span>
      </Banner>
    );
  return { busy, run, banner };
}

function Footer({
  onClose,
  busy,
  label,
  testId,
}: {
  onClose: () => void;
  busy: boolean;
  label: string;
  testId: string;
}) {
  return (
    <>
      <button type="button" className="btn" onClick={onClose}>
        取消
      </button>
      <button type="submit" className="btn btn--primary" disabled={busy} data-testid={testId}>
        {busy ? '保存中…' : label}
      </button>
    </>
  );
}

/** The key makes React start each opened dialog with fresh fields. */
export function PriceDialog(props: SkuDialogProps) {
  return props.sku === null ? null : <PriceForm key={props.sku.id} {...props} sku={props.sku} />;
}

function PriceForm({ productId, sku, onClose, onDone }: SkuDialogProps & { sku: AdminSkuView }) {
  const [price, setPrice] = useState(formatFen(sku.priceFen, { symbol: false, grouping: false }));
  const [touched, setTouched] = useState(false);
  const { busy, run, banner } = useSubmit();
  const parsed = parseYuanToFen(price, MAX_SKU_PRICE_FEN);
  const submit = () => {
    setTouched(true);
    if (!parsed.ok) return;
    void run(async () => {
      const body: AdminSkuPriceBody = { priceFen: parsed.fen };
      onDone(await api.put<AdminProductDetail>(`${skuPath(productId, sku.id)}/price`, body));
    });
  };
  return (
    <Dialog
      open
      title="修改价格"
      onClose={onClose}
      onSubmit={submit}
      testId="price-dialog"
      footer={<Footer onClose={onClose} busy={busy} label="保存价格" testId="price-submit" />}
    >
      {banner}
      <p className="muted" style={{ marginTop: 0 }}>
        规格：{sku.specText === '' ? '默认' : sku.specText}，当前价格 {formatFen(sku.priceFen)}
      </p>
      <Field
        label="新价格（元）"
        required
        error={
          touched && !parsed.ok
            ? yuanParseMessage(parsed.reason, `价格最高 ${formatFen(MAX_SKU_PRICE_FEN)}`)
            : null
        }
      >
        {(p) => (
          <input
            {...p}
            className="input"
            inputMode="decimal"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
            data-testid="price-input"
          />
        )}
      </Field>
    </Dialog>
  );
}

export function StockDialog(props: SkuDialogProps) {
  return props.sku === null ? null : <StockForm key={props.sku.id} {...props} sku={props.sku} />;
}

function StockForm({ productId, sku, onClose, onDone }: SkuDialogProps & { sku: AdminSkuView }) {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, run, banner } = useSubmit();
  const parsed = parseStockDelta(delta);
  const after = parsed.ok ? sku.stock + parsed.value : null;
  const deltaProblem = !parsed.ok
    ? parsed.message
    : after !== null && after < 0
      ? `库存不能少于 0（当前 ${sku.stock}）`
      : null;
  const reasonProblem =
    reason.trim() === '' ? '请填写调整原因' : reason.trim().length > 200 ? '最多 200 个字' : null;
  const submit = () => {
    setTouched(true);
    if (deltaProblem !== null || reasonProblem !== null || !parsed.ok) return;
    void run(async () => {
      const body: AdminStockAdjustmentBody = { deltaQty: parsed.value, reason: reason.trim() };
      onDone(await api.post<AdminProductDetail>(`${skuPath(productId, sku.id)}/stock-adjustments`, body));
    });
  };
  return (
    <Dialog
      open
      title="调整库存"
      onClose={onClose}
      onSubmit={submit}
      testId="stock-dialog"
      footer={<Footer onClose={onClose} busy={busy} label="确认调整" testId="stock-submit" />}
    >
      {banner}
      <p className="muted" style={{ marginTop: 0 }}>
        规格：{sku.specText === '' ? '默认' : sku.specText}，当前库存 {sku.stock}
        {after !== null && after >= 0 ? `，调整后 ${after}` : ''}
      </p>
      <Field
        label="调整数量"
        required
        hint="增加填正数，减少填负数，例如 +20 或 -3"
        error={touched ? deltaProblem : null}
      >
        {(p) => (
          <input
            {...p}
            className="input"
            inputMode="numeric"
            value={delta}
            onChange={(e) => setDelta(e.target.value)}
            data-testid="stock-delta"
          />
        )}
      </Field>
      <Field
        label="调整原因"
        required
        hint="记入库存调整记录和审计日志"
        error={touched ? reasonProblem : null}
      >
        {(p) => (
          <input
            {...p}
            className="input"
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="stock-reason"
          />
        )}
      </Field>
    </Dialog>
  );
}

import {
  MAX_STOCK,
  type AdminProductDetail,
  type AdminSkuPriceBody,
  type AdminSkuView,
  type AdminStockAdjustmentBody,
  formatFen,
  MAX_SKU_PRICE_FEN,
} from '@shop/contract';
import { useState } from 'react';

import { api } from '../../lib/api';
import { parseStockDelta } from '../../lib/product-form';
import { useSubmit } from '../../lib/use-submit';
import { parseYuanToFen, yuanParseMessage } from '../../lib/yuan';
import { Dialog, DialogFooter } from '../dialog';
import { ErrorBanner, Field } from '../ui';

interface SkuDialogProps {
  productId: string;
  sku: AdminSkuView | null;
  onClose: () => void;
  onDone: (product: AdminProductDetail) => void;
}

const skuPath = (productId: string, skuId: string) =>
  `/api/admin/products/${encodeURIComponent(productId)}/skus/${encodeURIComponent(skuId)}`;

/** The key makes React start each opened dialog with fresh fields. */
export function PriceDialog(props: SkuDialogProps) {
  return props.sku === null ? null : <PriceForm key={props.sku.id} {...props} sku={props.sku} />;
}

function PriceForm({ productId, sku, onClose, onDone }: SkuDialogProps & { sku: AdminSkuView }) {
  const [price, setPrice] = useState(formatFen(sku.priceFen, { symbol: false, grouping: false }));
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit();
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
      footer={
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          label="保存价格"
          busyLabel="保存中…"
          testId="price-submit"
        />
      }
    >
      <ErrorBanner error={error} testId="dialog-error" />
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
  const { busy, error, run } = useSubmit();
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
      footer={
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          label="确认调整"
          busyLabel="保存中…"
          testId="stock-submit"
        />
      }
    >
      <ErrorBanner
        error={error}
        testId="dialog-error"
        words={{ CONFLICT: `库存不能超过 ${MAX_STOCK.toLocaleString('zh-CN')} 件` }}
      />
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

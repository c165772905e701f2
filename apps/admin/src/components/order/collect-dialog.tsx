import type { AdminOrderDetail, PaymentQrBody, PaymentQrResponse } from '@shop/contract';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useSubmit } from '../../lib/use-submit';
import { Dialog } from '../dialog';
import { ErrorBanner, Money } from '../ui';

/**
 * The collection QR code of an unpaid order (当面付, alipay.trade.precreate): the merchant shows it at the counter and
 * the buyer scans it with the Alipay app. Asking again while the code is valid shows the same code; after its expiry
 * the API closes it at Alipay and gives a new one. The order page refreshes itself once the buyer has paid.
 */
export function CollectDialog({
  order,
  open,
  onClose,
}: {
  order: AdminOrderDetail;
  open: boolean;
  onClose: () => void;
}) {
  const [code, setCode] = useState<{ qr: PaymentQrResponse; image: string } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const { busy, error, run } = useSubmit(open);

  const fetchCode = () =>
    run(async () => {
      const body: PaymentQrBody = {};
      const qr = await api.post<PaymentQrResponse>(
        `/api/admin/orders/${encodeURIComponent(order.id)}/payment-qr`,
        body,
      );
      const image = await QRCode.toDataURL(qr.qrCode, { margin: 1, width: 280, errorCorrectionLevel: 'M' });
      setCode({ qr, image });
    });

  useEffect(() => {
    if (!open) return undefined;
    void fetchCode();
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
    // fetchCode changes every render; the code is fetched once per opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, order.id]);

  const expired = code !== null && new Date(code.qr.expiresAt).getTime() <= now;
  return (
    <Dialog
      open={open}
      title="收款码"
      onClose={onClose}
      onSubmit={() => void fetchCode()}
      testId="collect-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            关闭
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="collect-renew">
            {busy ? '生成中…' : '刷新收款码'}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} testId="dialog-error" />
      <p className="muted" style={{ marginTop: 0 }}>
        请买家打开支付宝扫一扫，付款 <Money fen={order.totalFen} />
      </p>
      {code === null ? (
        <p className="muted">正在生成收款码…</p>
      ) : (
        <div
          style={{ textAlign: 'center' }}
          data-testid="collect-qr"
          data-qr-content={code.qr.qrCode}
          data-state={expired ? 'expired' : 'active'}
        >
          <img
            src={code.image}
            width={280}
            height={280}
            alt="收款二维码"
            style={{ opacity: expired ? 0.15 : 1 }}
          />
          <p className={expired ? 'muted' : undefined}>
            {expired ? '收款码已过期，请刷新' : `有效期至 ${formatDateTime(code.qr.expiresAt)}`}
          </p>
          <p className="muted mono">商户订单号 {code.qr.outTradeNo}</p>
        </div>
      )}
    </Dialog>
  );
}

import { type AfterSaleRefuseBody, type AfterSaleView } from '@shop/contract';
import { useState } from 'react';

import { Dialog, DialogFooter } from '../../components/dialog';
import { adminPage, useAdmin } from '../../components/layout';
import { OrderLink } from '../../components/links';
import {
  Banner,
  Card,
  ErrorBanner,
  Field,
  Money,
  NotLoaded,
  PageHeader,
  StatusTag,
} from '../../components/ui';
import { api, apiAsset } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { AFTER_SALE_KIND_LABELS, AFTER_SALE_STATUS_LABELS } from '../../lib/labels';
import { routeParam } from '../../lib/nav';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';

function RefuseDialog(props: {
  request: AfterSaleView;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(props.open);
  const problem =
    reason.trim() === '' ? '请填写拒绝原因，买家会看到' : reason.trim().length > 200 ? '最多 200 个字' : null;
  const submit = () => {
    setTouched(true);
    if (problem !== null) return;
    void run(async () => {
      const body: AfterSaleRefuseBody = { reason: reason.trim() };
      await api.post(`/api/admin/after-sales/${encodeURIComponent(props.request.id)}/refuse`, body);
      props.onDone();
    });
  };
  return (
    <Dialog
      open={props.open}
      title="拒绝售后"
      onClose={props.onClose}
      onSubmit={submit}
      testId="after-sale-refuse-dialog"
      footer={
        <DialogFooter
          onCancel={props.onClose}
          busy={busy}
          label="确认拒绝"
          tone="danger"
          testId="after-sale-refuse-submit"
        />
      }
    >
      <ErrorBanner error={error} testId="dialog-error" />
      <Field label="拒绝原因" required error={touched ? problem : null}>
        {(p) => (
          <textarea
            {...p}
            className="input"
            rows={3}
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="after-sale-refuse-reason"
          />
        )}
      </Field>
    </Dialog>
  );
}

/** One after-sale request: what the shopper asked and why, and the merchant's decision. */
function AfterSaleDetail() {
  const id = routeParam('id') ?? '';
  const { can } = useAdmin();
  const detail = useApi(`after-sale:${id}`, (signal) =>
    api.get<AfterSaleView>(`/api/admin/after-sales/${encodeURIComponent(id)}`, { signal }),
  );
  const [refusing, setRefusing] = useState(false);
  const { busy, error, run } = useSubmit(id);
  const request = detail.data;
  if (request === undefined)
    return (
      <NotLoaded
        head={<PageHeader title="售后详情" />}
        {...(id === '' ? { missing: { title: '没有指定售后申请', hint: '请从售后列表打开' } } : {})}
        error={detail.error}
        onRetry={detail.reload}
      />
    );
  const decider = can('orders.refund');
  const act = (action: 'approve' | 'receive') =>
    void run(async () => {
      await api.post(`/api/admin/after-sales/${encodeURIComponent(request.id)}/${action}`, {});
      detail.reload();
    });
  const approvable = request.status === 'REQUESTED' || request.status === 'REFUND_FAILED';
  const refusable = ['REQUESTED', 'RETURN_SHIPPED', 'REFUND_FAILED'].includes(request.status);
  return (
    <>
      <PageHeader
        title={`售后 · ${AFTER_SALE_KIND_LABELS[request.kind]}`}
        description={
          <StatusTag entry={AFTER_SALE_STATUS_LABELS[request.status]} testId="after-sale-detail-status" />
        }
        actions={
          decider ? (
            <div className="row" style={{ gap: 8 }}>
              {approvable ? (
                <button
                  type="button"
                  className="btn btn--primary"
                  disabled={busy}
                  data-testid="after-sale-approve"
                  onClick={() => act('approve')}
                >
                  {request.kind === 'RETURN_REFUND' && request.status === 'REQUESTED'
                    ? '同意退货'
                    : '同意退款'}
                </button>
              ) : null}
              {request.status === 'RETURN_SHIPPED' ? (
                <button
                  type="button"
                  className="btn btn--primary"
                  disabled={busy}
                  data-testid="after-sale-receive"
                  onClick={() => act('receive')}
                >
                  确认收货并退款
                </button>
              ) : null}
              {refusable ? (
                <button
                  type="button"
                  className="btn btn--danger"
                  disabled={busy}
                  data-testid="after-sale-refuse"
                  onClick={() => setRefusing(true)}
                >
                  拒绝
                </button>
              ) : null}
            </div>
          ) : null
        }
      />
      <ErrorBanner error={error} testId="after-sale-error" />
      {request.status === 'REFUNDED' ? (
        <Banner tone="success" testId="after-sale-notice">
          已原路退款 <Money fen={request.amountFen} /> 至买家支付宝
        </Banner>
      ) : null}
      <Card title="申请信息" testId="after-sale-info">
        <dl className="kv">
          <dt>订单号</dt>
          <dd>
            <OrderLink id={request.orderId} orderNo={request.orderNo} />
          </dd>
          <dt>退款金额</dt>
          <dd>
            <Money fen={request.amountFen} />
          </dd>
          <dt>退款原因</dt>
          <dd>{request.reason}</dd>
          <dt>补充描述</dt>
          <dd>{request.description || '—'}</dd>
          <dt>退款商品</dt>
          <dd>
            {request.lines.length
              ? request.lines
                  .map((l) => `${l.title}${l.specText ? `（${l.specText}）` : ''} × ${l.quantity}`)
                  .join('；')
              : '整单'}
          </dd>
          <dt>退货物流</dt>
          <dd>
            {request.returnTrackingNo ? `${request.returnCarrier ?? ''} ${request.returnTrackingNo}` : '—'}
          </dd>
          <dt>申请时间</dt>
          <dd>{formatDateTime(request.createdAt)}</dd>
          <dt>处理时间</dt>
          <dd>{formatDateTime(request.decidedAt)}</dd>
          {request.refuseReason ? (
            <>
              <dt>拒绝原因</dt>
              <dd>{request.refuseReason}</dd>
            </>
          ) : null}
        </dl>
        {request.photos.length ? (
          <div className="row" style={{ gap: 8, flexWrap: 'wrap', marginTop: 12 }}>
            {request.photos.map((photo) => (
              <a key={photo} href={apiAsset(photo)} target="_blank" rel="noreferrer">
                <img
                  src={apiAsset(photo)}
                  alt="买家上传的凭证"
                  width={120}
                  height={120}
                  style={{ objectFit: 'cover' }}
                />
              </a>
            ))}
          </div>
        ) : null}
      </Card>
      <RefuseDialog
        request={request}
        open={refusing}
        onClose={() => setRefusing(false)}
        onDone={() => {
          setRefusing(false);
          detail.reload();
        }}
      />
    </>
  );
}

export default adminPage(AfterSaleDetail, {
  section: 'afterSales',
  title: '售后详情',
  permission: 'orders.read',
});

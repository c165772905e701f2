import {
  type AdminOrderEvent,
  type AuditLogEntry,
  type OrderItemView,
  type OrderStatus,
} from '@shop/contract';

import { apiAsset } from '../../lib/api';
import { eventDetail } from '../../lib/describe';
import { formatDateTime } from '../../lib/format';
import {
  ACTOR_LABELS,
  AUDIT_ACTION_LABELS,
  labelOf,
  ORDER_EVENT_LABELS,
  ORDER_STATUS_LABELS,
} from '../../lib/labels';
import { Card, Empty, Money } from '../ui';
import './order-sections.css';

/** What the order's amount is, as the shop labels it: 应付 until paid, 订单金额 if it closed unpaid, else 实付. */
function amountLabel(status: OrderStatus): string {
  return status === 'PENDING_PAYMENT' ? '应付' : status === 'CLOSED' ? '订单金额' : '实付';
}

export function ItemsCard({
  status,
  items,
  itemsFen,
  shippingFen,
  totalFen,
}: {
  status: OrderStatus;
  items: OrderItemView[];
  itemsFen: number;
  shippingFen: number;
  totalFen: number;
}) {
  return (
    <Card title="商品" testId="order-items">
      <table className="items">
        <thead>
          <tr>
            <th>商品</th>
            <th className="items__num">单价</th>
            <th className="items__num">数量</th>
            <th className="items__num">小计</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.skuId}>
              <td>
                <div className="items__product">
                  <img className="items__image" src={apiAsset(item.imageUrl)} alt="" loading="lazy" />
                  <div className="stack">
                    <span>{item.title}</span>
                    {item.specText === '' ? null : <span className="muted">{item.specText}</span>}
                  </div>
                </div>
              </td>
              <td className="items__num">
                <Money fen={item.unitPriceFen} />
              </td>
              <td className="items__num num">× {item.quantity}</td>
              <td className="items__num">
                <Money fen={item.lineTotalFen} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={3} className="items__num muted">
              商品合计
            </td>
            <td className="items__num">
              <Money fen={itemsFen} />
            </td>
          </tr>
          <tr>
            <td colSpan={3} className="items__num muted">
              运费
            </td>
            <td className="items__num">
              <Money fen={shippingFen} />
            </td>
          </tr>
          <tr className="items__total">
            <td colSpan={3} className="items__num" data-testid="order-amount-label">
              {amountLabel(status)}
            </td>
            <td className="items__num">
              <Money fen={totalFen} />
            </td>
          </tr>
        </tfoot>
      </table>
    </Card>
  );
}

function detailOf(event: AdminOrderEvent): string {
  const detail = eventDetail(event);
  return detail === null ? '' : ` · ${detail}`;
}

function statusText(status: keyof typeof ORDER_STATUS_LABELS | null): string {
  return status === null ? '' : ORDER_STATUS_LABELS[status].label;
}

export function EventsCard({ events }: { events: AdminOrderEvent[] }) {
  return (
    <Card title="订单状态记录" testId="order-events">
      {events.length === 0 ? (
        <Empty title="暂无记录" />
      ) : (
        <ol className="events">
          {events.map((event) => (
            <li key={event.id} className="events__item">
              <time className="events__time num" dateTime={event.at}>
                {formatDateTime(event.at)}
              </time>
              <div className="stack">
                <span className="events__title">
                  {labelOf(ORDER_EVENT_LABELS, event.type)}
                  {event.fromStatus !== null &&
                  event.toStatus !== null &&
                  event.fromStatus !== event.toStatus ? (
                    <span className="muted">
                      {' '}
                      {statusText(event.fromStatus)} → {statusText(event.toStatus)}
                    </span>
                  ) : null}
                </span>
                <span className="muted">
                  {labelOf(ACTOR_LABELS, event.actorType)}
                  {event.actorName === null ? '' : ` ${event.actorName}`}
                  {detailOf(event)}
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export function OrderAuditCard({ entries }: { entries: AuditLogEntry[] }) {
  return (
    <Card title="后台操作" testId="order-audit">
      {entries.length === 0 ? (
        <Empty title="还没有后台操作" />
      ) : (
        <ol className="events">
          {entries.map((entry) => (
            <li key={entry.id} className="events__item">
              <time className="events__time num" dateTime={entry.createdAt}>
                {formatDateTime(entry.createdAt)}
              </time>
              <div className="stack">
                <span className="events__title">{labelOf(AUDIT_ACTION_LABELS, entry.action)}</span>
                <span className="muted">
                  {entry.actorName}
                  {entry.ip === null ? '' : ` · ${entry.ip}`}
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

import { type AdminKeySettings, type KeyRole } from '@shop/contract';

import { adminPage } from '../../components/layout';
import { Banner, Card, Empty, NotLoaded, PageHeader, StatusTag, Tag } from '../../components/ui';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { NOTIFY_OUTCOME_LABELS } from '../../lib/labels';
import { useApi } from '../../lib/use-api';

const ROLE_TAGS: Record<KeyRole, { label: string; tone: 'info' | 'neutral' | 'warning' }> = {
  current: { label: '当前', tone: 'info' },
  next: { label: '切换中（备用）', tone: 'warning' },
  old: { label: '旧密钥', tone: 'neutral' },
  certificate: { label: '证书', tone: 'neutral' },
};

const TABLE_LABELS: Record<string, string> = { Address: '收货地址簿', Order: '订单收货地址' };

function RoleTag({ role }: { role: KeyRole }) {
  return <Tag tone={ROLE_TAGS[role].tone}>{ROLE_TAGS[role].label}</Tag>;
}

function AlipayKeys({ alipay }: { alipay: AdminKeySettings['alipay'] }) {
  return (
    <Card
      title="支付宝公钥"
      extra={alipay.mode === 'certificate' ? '公钥证书模式' : '公钥模式'}
      testId="alipay-keys"
      flush
    >
      <div className="data-table__wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>密钥 ID</th>
              <th>用途</th>
              <th>近 7 天验签的通知</th>
              <th>最近一次</th>
            </tr>
          </thead>
          <tbody>
            {alipay.keys.map((key) => (
              <tr key={key.keyId} data-testid="alipay-key">
                <td className="mono">{key.keyId}</td>
                <td>
                  <RoleTag role={key.role} />
                </td>
                <td className="num">{key.notifies7d}</td>
                <td className="num">{formatDateTime(key.lastNotifyAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function RecentNotifies({ notifies }: { notifies: AdminKeySettings['alipay']['recentNotifies'] }) {
  return (
    <Card title="最近的异步通知" extra="验签所用的支付宝公钥" testId="recent-notifies" flush>
      {notifies.length === 0 ? (
        <Empty title="还没有收到通知" />
      ) : (
        <div className="data-table__wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th>收到时间</th>
                <th>商户订单号</th>
                <th>结果</th>
                <th>验签密钥 ID</th>
              </tr>
            </thead>
            <tbody>
              {notifies.map((notify) => (
                <tr key={notify.id} data-testid="recent-notify">
                  <td className="num">{formatDateTime(notify.receivedAt)}</td>
                  <td className="mono">{notify.outTradeNo ?? '—'}</td>
                  <td>
                    <StatusTag entry={NOTIFY_OUTCOME_LABELS[notify.outcome]} />
                  </td>
                  <td className="mono" data-testid="notify-key-id">
                    {notify.alipayKeyId ?? <span className="muted">未通过验签</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function AddressKeys({ address }: { address: AdminKeySettings['address'] }) {
  const unknown = address.tables.reduce((sum, table) => sum + table.unknown, 0);
  const current = address.keys[0]?.keyId ?? '';
  const left = address.tables.reduce((sum, table) => sum + table.rows - (table.byKey[current] ?? 0), 0);
  return (
    <Card title="地址加密密钥" extra="手机号和详细地址加密存储" testId="address-keys" flush>
      {left > 0 ? (
        <Banner tone="warning" testId="address-keys-pending">
          还有 {left} 行使用旧密钥：运行 pnpm keys:rotate-addresses 改用当前密钥后，才能移除旧密钥。
        </Banner>
      ) : null}
      {unknown > 0 ? (
        <Banner tone="danger" testId="address-keys-unknown">
          有 {unknown} 行使用的密钥不在配置中。
        </Banner>
      ) : null}
      <div className="data-table__wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>数据</th>
              <th>行数</th>
              {address.keys.map((key) => (
                <th key={key.keyId}>
                  <span className="mono">{key.keyId}</span> <RoleTag role={key.role} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {address.tables.map((table) => (
              <tr key={table.table} data-testid="address-key-table">
                <td>{TABLE_LABELS[table.table] ?? table.table}</td>
                <td className="num">{table.rows}</td>
                {address.keys.map((key) => (
                  <td key={key.keyId} className="num">
                    {table.byKey[key.keyId] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function Settings() {
  const state = useApi('settings-keys', (signal) =>
    api.get<AdminKeySettings>('/api/admin/settings/keys', { signal }),
  );
  const head = (
    <PageHeader
      title="设置"
      description="正在使用的密钥。支付宝换密钥期间，新旧两把公钥都能验签；下表显示每条通知由哪把公钥验签。"
    />
  );
  if (state.data === undefined) return <NotLoaded head={head} error={state.error} onRetry={state.reload} />;
  return (
    <>
      {head}
      <AlipayKeys alipay={state.data.alipay} />
      <RecentNotifies notifies={state.data.alipay.recentNotifies} />
      <AddressKeys address={state.data.address} />
    </>
  );
}

export default adminPage(Settings, { section: 'settings', title: '设置', permission: 'settings.read' });

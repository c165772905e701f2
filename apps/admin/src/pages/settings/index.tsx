import { type AdminKeySettings, type KeyRole } from '@shop/contract';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';

import { type AdminTableFeatures, DataTable } from '../../components/data-table';
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

type AlipayKey = AdminKeySettings['alipay']['keys'][number];
type RecentNotify = AdminKeySettings['alipay']['recentNotifies'][number];
type AddressTable = AdminKeySettings['address']['tables'][number];

const keyColumn = createColumnHelper<AdminTableFeatures, AlipayKey>();
const KEY_COLUMNS = keyColumn.columns([
  keyColumn.accessor('keyId', {
    header: '密钥 ID',
    cell: (info) => <span className="mono">{info.getValue()}</span>,
  }),
  keyColumn.accessor('role', { header: '用途', cell: (info) => <RoleTag role={info.getValue()} /> }),
  keyColumn.accessor('notifies7d', {
    header: '近 7 天验签的通知',
    cell: (info) => <span className="num">{info.getValue()}</span>,
  }),
  keyColumn.accessor('lastNotifyAt', {
    header: '最近一次',
    cell: (info) => <span className="num">{formatDateTime(info.getValue())}</span>,
  }),
]);

const notifyColumn = createColumnHelper<AdminTableFeatures, RecentNotify>();
const NOTIFY_COLUMNS = notifyColumn.columns([
  notifyColumn.accessor('receivedAt', {
    header: '收到时间',
    cell: (info) => <span className="num">{formatDateTime(info.getValue())}</span>,
  }),
  notifyColumn.accessor('outTradeNo', {
    header: '商户订单号',
    cell: (info) => <span className="mono">{info.getValue() ?? '—'}</span>,
  }),
  notifyColumn.accessor('outcome', {
    header: '结果',
    cell: (info) => <StatusTag entry={NOTIFY_OUTCOME_LABELS[info.getValue()]} />,
  }),
  notifyColumn.accessor('alipayKeyId', {
    header: '验签密钥 ID',
    cell: (info) => (
      <span className="mono" data-testid="notify-key-id">
        {info.getValue() ?? <span className="muted">未通过验签</span>}
      </span>
    ),
  }),
]);

const tableColumn = createColumnHelper<AdminTableFeatures, AddressTable>();

/** The address tables' columns: the table, its rows, then one column per configured key (so built per answer). */
function addressColumns(keys: AdminKeySettings['address']['keys']) {
  return tableColumn.columns([
    tableColumn.accessor('table', {
      header: '数据',
      cell: (info) => TABLE_LABELS[info.getValue()] ?? info.getValue(),
    }),
    tableColumn.accessor('rows', {
      header: '行数',
      cell: (info) => <span className="num">{info.getValue()}</span>,
    }),
    ...keys.map((key) =>
      tableColumn.display({
        id: `key:${key.keyId}`,
        header: () => (
          <>
            <span className="mono">{key.keyId}</span> <RoleTag role={key.role} />
          </>
        ),
        cell: (info) => <span className="num">{info.row.original.byKey[key.keyId] ?? 0}</span>,
      }),
    ),
  ]);
}

function AlipayKeys({ alipay }: { alipay: AdminKeySettings['alipay'] }) {
  return (
    <Card
      title="支付宝公钥"
      extra={alipay.mode === 'certificate' ? '公钥证书模式' : '公钥模式'}
      testId="alipay-keys"
      flush
    >
      <DataTable
        columns={KEY_COLUMNS}
        data={alipay.keys}
        getRowId={(key) => key.keyId}
        rowTestId="alipay-key"
      />
    </Card>
  );
}

function RecentNotifies({ notifies }: { notifies: AdminKeySettings['alipay']['recentNotifies'] }) {
  return (
    <Card title="最近的异步通知" extra="验签所用的支付宝公钥" testId="recent-notifies" flush>
      <DataTable
        columns={NOTIFY_COLUMNS}
        data={notifies}
        getRowId={(notify) => notify.id}
        rowTestId="recent-notify"
        empty={<Empty title="还没有收到通知" />}
      />
    </Card>
  );
}

function AddressKeys({ address }: { address: AdminKeySettings['address'] }) {
  const unknown = address.tables.reduce((sum, table) => sum + table.unknown, 0);
  const current = address.keys[0]?.keyId ?? '';
  const left = address.tables.reduce((sum, table) => sum + table.rows - (table.byKey[current] ?? 0), 0);
  const columns = useMemo(() => addressColumns(address.keys), [address.keys]);
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
      <DataTable
        columns={columns}
        data={address.tables}
        getRowId={(table) => table.table}
        rowTestId="address-key-table"
      />
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

import { type WebhookEndpointList, type WebhookEndpointView } from '@shop/contract';
import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useMemo, useRef, useState } from 'react';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { adminPage } from '../../components/layout';
import { PageLink } from '../../components/links';
import { Banner, Empty, ErrorBanner, PageHeader, Tag } from '../../components/ui';
import {
  DeleteDialog,
  EndpointFormDialog,
  type FormTarget,
  RotateDialog,
  SecretDialog,
  type ShownSecret,
} from '../../components/webhook/endpoint-dialogs';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { pageUrl } from '../../lib/paths';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';
import { eventTitle, secretHintText } from '../../lib/webhooks';

const column = createColumnHelper<AdminTableFeatures, WebhookEndpointView>();

/**
 * 消息推送 (owner): the merchant's webhook endpoints, each with the events it gets, whether it is on, how its
 * deliveries went, and which secret signs for it; create, edit, turn off and on, rotate the secret, delete, and the
 * way to each one's delivery log.
 */
function Webhooks() {
  const list = useApi('webhooks', (signal) =>
    api.get<WebhookEndpointList>('/api/admin/webhooks', { signal }),
  );
  const [form, setForm] = useState<FormTarget>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpointView | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpointView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const toggle = useSubmit();

  const reload = list.reload;
  const setActive = (endpoint: WebhookEndpointView) => {
    setNotice(null);
    void toggle.run(async () => {
      const active = !endpoint.active;
      await api.patch<WebhookEndpointView>(`/api/admin/webhooks/${encodeURIComponent(endpoint.id)}`, {
        active,
      });
      setNotice(
        active
          ? `已启用 ${endpoint.url}：新的事件会推送到这里`
          : `已停用 ${endpoint.url}：不再推送新的事件，尚未送达的推送也不再重试`,
      );
      reload();
    });
  };
  // The columns stay the same between renders (DataTable's rule); the toggle they call is this render's.
  const setActiveRef = useRef(setActive);
  useEffect(() => {
    setActiveRef.current = setActive;
  });

  const columns = useMemo(() => {
    return column.columns([
      column.accessor('url', {
        header: '推送地址',
        cell: (info) => (
          <span className="stack">
            <span className="mono webhook-url" data-testid="webhook-address">
              {info.getValue()}
            </span>
            {info.row.original.description === '' ? null : (
              <span className="muted" data-testid="webhook-description-text">
                {info.row.original.description}
              </span>
            )}
          </span>
        ),
      }),
      column.accessor('events', {
        header: '推送事件',
        cell: (info) => (
          <span className="webhook-tags" data-testid="webhook-event-titles">
            {info.getValue().map((type) => (
              <Tag key={type} tone="neutral">
                {eventTitle(type)}
              </Tag>
            ))}
          </span>
        ),
      }),
      column.accessor('active', {
        header: '状态',
        cell: (info) =>
          info.getValue() ? (
            <Tag tone="success" testId="webhook-status">
              启用
            </Tag>
          ) : (
            <Tag tone="neutral" testId="webhook-status">
              停用
            </Tag>
          ),
      }),
      column.accessor('deliveries', {
        header: '投递',
        cell: (info) => (
          <span className="stack num nowrap">
            <span>
              已送达 <span data-testid="webhook-delivered">{info.getValue().delivered}</span>
            </span>
            <span>
              投递中 <span data-testid="webhook-pending">{info.getValue().pending}</span>
            </span>
            <span className={info.getValue().failed > 0 ? 'recon__diff' : undefined}>
              失败 <span data-testid="webhook-failed">{info.getValue().failed}</span>
            </span>
          </span>
        ),
      }),
      column.accessor('secretHint', {
        header: '签名密钥',
        cell: (info) => (
          <span className="stack">
            <span className="mono nowrap" data-testid="webhook-secret-hint">
              {secretHintText(info.getValue())}
            </span>
            {info.row.original.previousSecretExpiresAt === null ? null : (
              <span className="muted nowrap" data-testid="webhook-previous-secret">
                旧密钥签名至 {formatDateTime(info.row.original.previousSecretExpiresAt)}
              </span>
            )}
          </span>
        ),
      }),
      column.accessor('createdAt', {
        header: '创建时间',
        cell: (info) => <span className="num nowrap">{formatDateTime(info.getValue())}</span>,
      }),
      column.display({
        id: 'actions',
        header: '操作',
        cell: (info) => {
          const endpoint = info.row.original;
          return (
            <span className="webhook-actions">
              <PageLink
                href={pageUrl('webhookDeliveries', { id: endpoint.id })}
                testId="webhook-deliveries-link"
              >
                推送记录
              </PageLink>
              <button
                type="button"
                className="btn btn--link"
                onClick={() => setForm(endpoint)}
                data-testid="webhook-edit"
              >
                编辑
              </button>
              <button
                type="button"
                className="btn btn--link"
                onClick={() => setActiveRef.current(endpoint)}
                data-testid="webhook-toggle"
              >
                {endpoint.active ? '停用' : '启用'}
              </button>
              <button
                type="button"
                className="btn btn--link"
                onClick={() => setRotating(endpoint)}
                data-testid="webhook-rotate"
              >
                轮换密钥
              </button>
              <button
                type="button"
                className="btn btn--link"
                onClick={() => setDeleting(endpoint)}
                data-testid="webhook-delete"
              >
                删除
              </button>
            </span>
          );
        },
      }),
    ]);
  }, [setForm, setRotating, setDeleting]);

  return (
    <>
      <PageHeader
        title="消息推送"
        description="把订单支付、发货、退款、售后和对账差异推送到你自己的系统（Webhook）。每条推送都用该地址的密钥签名；对方返回 2xx 即为送达，否则按间隔自动重试。"
        actions={
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => {
              setNotice(null);
              setForm('new');
            }}
            data-testid="webhook-create"
          >
            新建推送地址
          </button>
        }
      />
      {notice === null ? null : (
        <Banner tone="success" testId="webhook-notice" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      )}
      <ErrorBanner error={toggle.error} prefix="操作失败" testId="webhook-error" />
      <ListTable
        list={list}
        columns={columns}
        getRowId={(row) => row.id}
        rowTestId="webhook-row"
        testId="webhooks-table"
        empty={<Empty title="还没有推送地址">新建一个地址，选择要推送的事件。</Empty>}
      />
      <EndpointFormDialog
        target={form}
        onClose={() => setForm(null)}
        onCreated={(created) => {
          setForm(null);
          setNotice(`已创建推送地址 ${created.endpoint.url}`);
          setSecret({ kind: 'created', ...created });
          list.reload();
        }}
        onUpdated={(endpoint) => {
          setForm(null);
          setNotice(`已保存 ${endpoint.url}`);
          list.reload();
        }}
      />
      <RotateDialog
        endpoint={rotating}
        onClose={() => setRotating(null)}
        onDone={(rotated) => {
          setRotating(null);
          setNotice(`已轮换 ${rotated.endpoint.url} 的签名密钥`);
          setSecret({ kind: 'rotated', ...rotated });
          list.reload();
        }}
      />
      <DeleteDialog
        endpoint={deleting}
        onClose={() => setDeleting(null)}
        onDone={() => {
          setNotice(`已删除 ${deleting?.url ?? ''}`);
          setDeleting(null);
          list.reload();
        }}
      />
      <SecretDialog shown={secret} onClose={() => setSecret(null)} />
    </>
  );
}

export default adminPage(Webhooks, {
  section: 'webhooks',
  title: '消息推送',
  permission: 'webhooks.manage',
});

import { type AdminAccount, type AdminAccountList, type AdminStaffCreateBody } from '@shop/contract';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { Dialog, DialogFooter } from '../../components/dialog';
import { adminPage, useAdmin } from '../../components/layout';
import { Banner, Empty, ErrorBanner, Field, PageHeader, Tag } from '../../components/ui';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { ROLE_LABELS } from '../../lib/labels';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

function CreateStaffDialog({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (a: AdminAccount) => void;
}) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(open);
  const [wasOpen, setWasOpen] = useState(false);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setUsername('');
      setDisplayName('');
      setPassword('');
      setTouched(false);
    }
  }
  const name = username.trim().toLowerCase();
  const problems = {
    username: USERNAME.test(name) ? null : '3 到 32 位小写字母、数字、“.”、“_”或“-”，以字母或数字开头',
    displayName:
      displayName.trim() === '' ? '请填写姓名' : displayName.trim().length > 40 ? '最多 40 个字' : null,
    password: password.length < 10 ? '密码至少 10 位' : password.length > 128 ? '密码最多 128 位' : null,
  };
  const submit = () => {
    setTouched(true);
    if (Object.values(problems).some((p) => p !== null)) return;
    void run(async () => {
      const body: AdminStaffCreateBody = { username: name, displayName: displayName.trim(), password };
      onDone(await api.post<AdminAccount>('/api/admin/staff', body));
    });
  };
  return (
    <Dialog
      open={open}
      title="新建店员"
      onClose={onClose}
      onSubmit={submit}
      testId="staff-create-dialog"
      footer={
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          label="创建"
          busyLabel="创建中…"
          testId="staff-create-submit"
        />
      }
    >
      <ErrorBanner error={error} testId="dialog-error" words={{ CONFLICT: '该用户名已被使用，请换一个' }} />
      <Field label="用户名" required error={touched ? problems.username : null} hint="登录用，创建后不能修改">
        {(p) => (
          <input
            {...p}
            className="input"
            autoComplete="off"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        )}
      </Field>
      <Field label="姓名" required error={touched ? problems.displayName : null}>
        {(p) => (
          <input
            {...p}
            className="input"
            maxLength={40}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="初始密码"
        required
        error={touched ? problems.password : null}
        hint="至少 10 位，请通过安全渠道告知店员"
      >
        {(p) => (
          <input
            {...p}
            className="input"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
    </Dialog>
  );
}

function DeactivateDialog({
  account,
  onClose,
  onDone,
}: {
  account: AdminAccount | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { busy, error, run } = useSubmit(account?.id);
  const submit = () => {
    if (account === null) return;
    void run(async () => {
      await api.post(`/api/admin/staff/${encodeURIComponent(account.id)}/deactivate`, {});
      onDone();
    });
  };
  return (
    <Dialog
      open={account !== null}
      title="停用账号"
      onClose={onClose}
      onSubmit={submit}
      testId="staff-deactivate-dialog"
      footer={
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          label="确认停用"
          busyLabel="停用中…"
          tone="danger"
          testId="staff-deactivate-submit"
        />
      }
    >
      <ErrorBanner error={error} testId="dialog-error" words={{ CONFLICT: '店主账号不能停用' }} />
      {account === null ? null : (
        <p style={{ marginTop: 0 }}>
          停用后 {account.displayName}（{account.username}
          ）将无法登录，已登录的会话立即失效。停用不可在后台撤销。
        </p>
      )}
    </Dialog>
  );
}

const column = createColumnHelper<AdminTableFeatures, AdminAccount>();

function Staff() {
  const { session } = useAdmin();
  const [creating, setCreating] = useState(false);
  const [deactivating, setDeactivating] = useState<AdminAccount | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useApi('staff', (signal) => api.get<AdminAccountList>('/api/admin/staff', { signal }));
  const me = session.admin.id;
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('displayName', {
          header: '姓名',
          cell: (info) => (
            <span className="row">
              {info.getValue()}
              {info.row.original.id === me ? <Tag tone="info">我</Tag> : null}
            </span>
          ),
        }),
        column.accessor('username', {
          header: '用户名',
          cell: (info) => <span className="mono">{info.getValue()}</span>,
        }),
        column.accessor('role', {
          header: '角色',
          cell: (info) => (
            <Tag tone={info.getValue() === 'owner' ? 'info' : 'neutral'}>{ROLE_LABELS[info.getValue()]}</Tag>
          ),
        }),
        column.accessor('active', {
          header: '状态',
          cell: (info) =>
            info.getValue() ? <Tag tone="success">正常</Tag> : <Tag tone="neutral">已停用</Tag>,
        }),
        column.accessor('lastLoginAt', {
          header: '最近登录',
          cell: (info) => <span className="num">{formatDateTime(info.getValue())}</span>,
        }),
        column.accessor('createdAt', {
          header: '创建时间',
          cell: (info) => <span className="num">{formatDateTime(info.getValue())}</span>,
        }),
        column.display({
          id: 'actions',
          header: '操作',
          cell: (info) =>
            info.row.original.role === 'staff' && info.row.original.active ? (
              <button
                type="button"
                className="btn btn--link"
                onClick={() => setDeactivating(info.row.original)}
                data-testid="staff-deactivate"
              >
                停用
              </button>
            ) : (
              <span className="muted">—</span>
            ),
        }),
      ]),
    [me, setDeactivating],
  );

  return (
    <>
      <PageHeader
        title="员工"
        description="店主可以新建店员账号或停用账号。店员可查看订单、发货和查看对账，不能退款、改商品或管理员工。"
        actions={
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => setCreating(true)}
            data-testid="staff-create"
          >
            新建店员
          </button>
        }
      />
      {notice === null ? null : (
        <Banner tone="success" testId="staff-notice">
          {notice}
        </Banner>
      )}
      <ListTable
        list={list}
        columns={columns}
        getRowId={(row) => row.id}
        testId="staff-table"
        empty={<Empty title="还没有账号" />}
      />
      <CreateStaffDialog
        open={creating}
        onClose={() => setCreating(false)}
        onDone={(account) => {
          setCreating(false);
          setNotice(`已创建店员 ${account.displayName}（${account.username}）`);
          list.reload();
        }}
      />
      <DeactivateDialog
        account={deactivating}
        onClose={() => setDeactivating(null)}
        onDone={() => {
          setNotice(`已停用 ${deactivating?.displayName ?? ''}`);
          setDeactivating(null);
          list.reload();
        }}
      />
    </>
  );
}

export default adminPage(Staff, { section: 'staff', title: '员工', permission: 'staff.manage' });

import { EVENT_TYPES, type WebhookEndpointView, type WebhookEndpointWithSecret } from '@shop/contract';
import { useRef, useState } from 'react';

import { api } from '../../lib/api';
import { type ApiError } from '../../lib/api-client';
import { formatDateTime } from '../../lib/format';
import { useSubmit } from '../../lib/use-submit';
import {
  DESCRIPTION_MAX,
  draftProblems,
  EMPTY_DRAFT,
  endpointBody,
  eventTitle,
  serverProblems,
  type WebhookDraft,
} from '../../lib/webhooks';
import { Dialog, DialogFooter } from '../dialog';
import { Banner, ErrorBanner, Field } from '../ui';
import './webhook.css';

const path = (id: string) => `/api/admin/webhooks/${encodeURIComponent(id)}`;

/** What a failed save says above the fields; the fields at fault say what to change beside themselves. */
function saveWords(error: ApiError | null) {
  const max = (error?.details as { max?: unknown } | undefined)?.max;
  return {
    VALIDATION_ERROR: '请按输入框下方的提示修改后再保存',
    CONFLICT: typeof max === 'number' ? `最多只能添加 ${max} 个推送地址` : '数据已被修改，请刷新后重试',
    NOT_FOUND: '该推送地址已被删除，请关闭后刷新页面',
  };
}

/** `'new'` to register an endpoint, an endpoint to edit it, null when closed. */
export type FormTarget = 'new' | WebhookEndpointView | null;

/**
 * 新建 / 编辑: the address, a checkbox per event and a description. A new endpoint's answer carries its secret,
 * which the page shows once (SecretDialog).
 */
export function EndpointFormDialog({
  target,
  onClose,
  onCreated,
  onUpdated,
}: {
  target: FormTarget;
  onClose: () => void;
  onCreated: (result: WebhookEndpointWithSecret) => void;
  onUpdated: (endpoint: WebhookEndpointView) => void;
}) {
  const openedFor = target === null ? null : target === 'new' ? 'new' : target.id;
  const [draft, setDraft] = useState<WebhookDraft>(EMPTY_DRAFT);
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(openedFor);
  const [wasOpenFor, setWasOpenFor] = useState<string | null>(null);
  if (openedFor !== wasOpenFor) {
    setWasOpenFor(openedFor);
    setTouched(false);
    setDraft(
      target === null || target === 'new'
        ? EMPTY_DRAFT
        : { url: target.url, events: [...target.events], description: target.description },
    );
  }
  const local = draftProblems(draft);
  const server = serverProblems(error);
  const problem = (field: keyof WebhookDraft) => (touched ? local[field] : null) ?? server[field];

  const submit = () => {
    setTouched(true);
    if (Object.values(local).some((p) => p !== null) || target === null) return;
    void run(async () => {
      const body = endpointBody(draft);
      if (target === 'new') {
        onCreated(await api.post<WebhookEndpointWithSecret>('/api/admin/webhooks', body));
      } else {
        onUpdated(await api.patch<WebhookEndpointView>(path(target.id), body));
      }
    });
  };
  const toggle = (type: (typeof EVENT_TYPES)[number], on: boolean) =>
    setDraft((d) => ({ ...d, events: on ? [...d.events, type] : d.events.filter((t) => t !== type) }));

  return (
    <Dialog
      open={target !== null}
      title={target === 'new' ? '新建推送地址' : '编辑推送地址'}
      onClose={onClose}
      onSubmit={submit}
      width={560}
      testId="webhook-form-dialog"
      footer={
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          label={target === 'new' ? '创建' : '保存'}
          busyLabel={target === 'new' ? '创建中…' : '保存中…'}
          testId="webhook-submit"
        />
      }
    >
      <ErrorBanner error={error} testId="dialog-error" words={saveWords(error)} />
      <Field
        label="推送地址"
        required
        error={problem('url')}
        hint="接收推送的完整地址，以 http:// 或 https:// 开头；返回 2xx 即视为送达"
      >
        {(p) => (
          <input
            {...p}
            className="input"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://erp.example.com/hooks/shop"
            value={draft.url}
            onChange={(e) => setDraft((d) => ({ ...d, url: e.target.value }))}
            data-testid="webhook-url"
          />
        )}
      </Field>
      <fieldset className="webhook-events" data-testid="webhook-events">
        <legend className="field__label field__label--required webhook-events__legend">推送事件</legend>
        <div className="webhook-events__grid">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="checkbox">
              <input
                type="checkbox"
                className="webhook-events__box"
                value={type}
                checked={draft.events.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
                data-testid="webhook-event"
              />
              <span>
                {eventTitle(type)} <span className="mono muted">{type}</span>
              </span>
            </label>
          ))}
        </div>
        {problem('events') === null ? null : (
          <span className="field__error" role="alert">
            {problem('events')}
          </span>
        )}
      </fieldset>
      <Field
        label="备注"
        error={problem('description')}
        hint={`选填，最多 ${DESCRIPTION_MAX} 个字，例如接收方的系统名称`}
      >
        {(p) => (
          <input
            {...p}
            className="input"
            autoComplete="off"
            value={draft.description}
            onChange={(e) => setDraft((d) => ({ ...d, description: e.target.value }))}
            data-testid="webhook-description"
          />
        )}
      </Field>
    </Dialog>
  );
}

/** A secret to show once: a new endpoint's, or the one a rotation made. */
export interface ShownSecret {
  kind: 'created' | 'rotated';
  endpoint: WebhookEndpointView;
  secret: string;
}

/** Copies text to the clipboard; where the browser refuses, selects it on screen for the merchant to copy. */
async function copyText(text: string, element: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (element === null) return false;
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return false;
  }
}

/**
 * The secret, this once: the API keeps it to sign with and never answers with it again, so the dialog says so and
 * offers to copy it. After a rotation it also says until when the previous secret still signs.
 */
export function SecretDialog({ shown, onClose }: { shown: ShownSecret | null; onClose: () => void }) {
  const secretRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const [seen, setSeen] = useState<ShownSecret | null>(null);
  if (shown !== seen) {
    setSeen(shown);
    setCopied(null);
  }
  const copy = async () => {
    if (shown === null) return;
    setCopied((await copyText(shown.secret, secretRef.current)) ? 'yes' : 'failed');
  };
  return (
    <Dialog
      open={shown !== null}
      title={shown?.kind === 'rotated' ? '新的签名密钥' : '推送地址已创建'}
      onClose={onClose}
      width={560}
      testId="webhook-secret-dialog"
      footer={
        <button
          type="button"
          className="btn btn--primary"
          onClick={onClose}
          data-testid="webhook-secret-done"
        >
          我已保存密钥
        </button>
      }
    >
      {shown === null ? null : (
        <>
          <Banner tone="warning" title="密钥只显示这一次" role="alert" testId="webhook-secret-warning">
            关闭后无法再次查看，请立即复制并保存到接收方。接收方用它校验每条推送的签名（请求头
            Shop-Signature）；丢失后只能轮换密钥。
          </Banner>
          <p className="muted webhook-secret__for">
            推送地址 <span className="mono">{shown.endpoint.url}</span>
          </p>
          <div className="webhook-secret">
            <code className="mono webhook-secret__value" ref={secretRef} data-testid="webhook-secret">
              {shown.secret}
            </code>
            <button
              type="button"
              className="btn btn--small"
              onClick={() => void copy()}
              data-testid="webhook-secret-copy"
            >
              {copied === 'yes' ? '已复制' : '复制'}
            </button>
          </div>
          {copied === 'failed' ? (
            <p className="field__error" role="alert">
              浏览器不允许自动复制，密钥已选中，请按 Ctrl+C（Mac 上按 ⌘+C）复制。
            </p>
          ) : null}
          {shown.kind === 'rotated' && shown.endpoint.previousSecretExpiresAt !== null ? (
            <Banner tone="info" testId="webhook-secret-overlap">
              旧密钥在 {formatDateTime(shown.endpoint.previousSecretExpiresAt)}{' '}
              之前仍会和新密钥一起签名（每条推送带两个签名），请在此之前让接收方改用新密钥。
            </Banner>
          ) : null}
        </>
      )}
    </Dialog>
  );
}

/** 轮换密钥, after saying what it does: a new secret, shown once, with the old one signing for a while. */
export function RotateDialog({
  endpoint,
  onClose,
  onDone,
}: {
  endpoint: WebhookEndpointView | null;
  onClose: () => void;
  onDone: (result: WebhookEndpointWithSecret) => void;
}) {
  const { busy, error, run } = useSubmit(endpoint?.id);
  const submit = () => {
    if (endpoint === null) return;
    void run(async () => {
      onDone(await api.post<WebhookEndpointWithSecret>(`${path(endpoint.id)}/rotate-secret`, {}));
    });
  };
  return (
    <Dialog
      open={endpoint !== null}
      title="轮换密钥"
      onClose={onClose}
      onSubmit={submit}
      testId="webhook-rotate-dialog"
      footer={
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          label="轮换密钥"
          busyLabel="轮换中…"
          testId="webhook-rotate-submit"
        />
      }
    >
      <ErrorBanner
        error={error}
        testId="dialog-error"
        words={{ NOT_FOUND: '该推送地址已被删除，请刷新页面' }}
      />
      {endpoint === null ? null : (
        <p style={{ marginTop: 0 }}>
          将为 <span className="mono">{endpoint.url}</span>{' '}
          生成新的签名密钥，新密钥只显示一次。过渡期内旧密钥仍会一起签名，接收方可以从容更换；过渡期结束后只用新密钥签名。
        </p>
      )}
    </Dialog>
  );
}

/** 删除, with what it ends: no more deliveries, no retries of those still due, no delivery log. */
export function DeleteDialog({
  endpoint,
  onClose,
  onDone,
}: {
  endpoint: WebhookEndpointView | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { busy, error, run } = useSubmit(endpoint?.id);
  const submit = () => {
    if (endpoint === null) return;
    void run(async () => {
      await api.delete(path(endpoint.id));
      onDone();
    });
  };
  return (
    <Dialog
      open={endpoint !== null}
      title="删除推送地址"
      onClose={onClose}
      onSubmit={submit}
      testId="webhook-delete-dialog"
      footer={
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          label="确认删除"
          busyLabel="删除中…"
          tone="danger"
          testId="webhook-delete-submit"
        />
      }
    >
      <ErrorBanner error={error} testId="dialog-error" words={{ NOT_FOUND: '该推送地址已被删除' }} />
      {endpoint === null ? null : (
        <p style={{ marginTop: 0 }}>
          删除后不再向 <span className="mono">{endpoint.url}</span>{' '}
          推送，尚未送达的推送也不再重试，它的推送记录将无法查看。删除不可撤销；只想暂时不推送时，请改为停用。
        </p>
      )}
    </Dialog>
  );
}

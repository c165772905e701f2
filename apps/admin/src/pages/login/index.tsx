import { type AdminSessionResponse } from '@shop/contract';
import { type FormEvent, useEffect, useState } from 'react';

import { Banner, Field } from '../../components/ui';
import { api, sessionStore } from '../../lib/api';
import { resetSessionCheck } from '../../lib/auth';
import { errorDetail, errorHeadline } from '../../lib/errors';
import { openSection, routeParam } from '../../lib/nav';
import { safeReturnPath } from '../../lib/paths';
import { useSubmit } from '../../lib/use-submit';
import './index.css';

/** "14 分 56 秒" or "42 秒". */
function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes === 0 ? `${seconds} 秒` : `${minutes} 分 ${seconds % 60} 秒`;
}

/** Counts down the seconds of a 429's Retry-After, so the button says when to try again. */
function useCountdown(): [number, (seconds: number) => void] {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= now) return;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [until, now]);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return [
    left,
    (seconds) => {
      setNow(Date.now());
      setUntil(Date.now() + seconds * 1000);
    },
  ];
}

export default function Login() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();
  const [waitSeconds, startWait] = useCountdown();
  const returnPath = safeReturnPath(routeParam('redirect'));

  useEffect(() => {
    document.title = '登录 · 商家后台';
    // Already signed in (another tab, or the back button): straight on.
    if (sessionStore.read() !== null) openSection(returnPath);
  }, [returnPath]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (waitSeconds > 0) return;
    const failure = await run(async () => {
      const session = await api.post<AdminSessionResponse>(
        '/api/admin/session',
        { username: username.trim(), password },
        { auth: false },
      );
      sessionStore.save(session);
      resetSessionCheck();
      openSection(returnPath);
    });
    if (failure?.code === 'TOO_MANY_REQUESTS') startWait(failure.retryAfterSeconds ?? 60);
    if (failure?.code === 'INVALID_CREDENTIALS') setPassword('');
  };

  const throttled = error?.code === 'TOO_MANY_REQUESTS';
  return (
    <div className="login">
      <div className="login__aside" aria-hidden="true">
        <div className="login__brand">
          <span className="login__logo">商</span>
          商家后台
        </div>
        <p className="login__tagline">每一笔订单，每一次支付通知，每一笔退款，一目了然。</p>
        <ul className="login__points">
          <li>订单与支付时间线：通知、查询、退款全记录</li>
          <li>每日对账：与支付宝账单逐笔核对</li>
          <li>商品、库存与操作审计</li>
        </ul>
      </div>
      <main className="login__main">
        <form
          className="login__card"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-labelledby="login-title"
        >
          <h1 id="login-title" className="login__title">
            登录商家后台
          </h1>
          <p className="login__subtitle muted">使用店主或店员账号登录</p>
          {error === null ? null : (
            // An alert even when throttled: the refusal is why nothing happened.
            <Banner
              tone={throttled ? 'warning' : 'danger'}
              role="alert"
              title={
                throttled && waitSeconds > 0
                  ? `尝试次数过多，请在 ${duration(waitSeconds)}后再试`
                  : errorHeadline(error.code)
              }
              testId="login-error"
            >
              {throttled ? null : <span className="muted">{errorDetail(error) ?? '请确认后重新输入'}</span>}
            </Banner>
          )}
          <Field label="用户名">
            {(props) => (
              <input
                {...props}
                className="input login__input"
                name="username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                required
                autoFocus
              />
            )}
          </Field>
          <Field label="密码">
            {(props) => (
              <input
                {...props}
                className="input login__input"
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            )}
          </Field>
          <button
            type="submit"
            className="btn btn--primary login__submit"
            disabled={busy || waitSeconds > 0 || username.trim() === '' || password === ''}
            data-testid="login-submit"
          >
            {busy ? '登录中…' : waitSeconds > 0 ? `${duration(waitSeconds)}后可重试` : '登录'}
          </button>
        </form>
      </main>
    </div>
  );
}

import { Router } from '@koa/router';
import { loadPublicKey } from '@shop/alipay';
import { z } from 'zod';
import { CsrError, publicKeyFromCsr } from '../certs/ca';
import { appCertificateBundle, issueAppCertificate, type AppCertificateBundle } from '../certs/certs.service';
import type { Deps } from '../deps';
import { NotFoundError } from '../errors';
import { html, page } from './html';
import { pageErrors, PageError, readPageForm, sendPage } from './page-support';

/**
 * The console page of certificate mode, as Alipay's open platform console has it (开发设置 → 接口加签方式 → 公钥证书):
 * paste the app's public key or a CSR, get the app certificate, Alipay's certificate and the root bundle, each
 * downloadable under the file name Alipay uses. The JSON twin is POST /sandbox/apps/:appId/certificate.
 */

const TITLE = '接口加签方式：公钥证书';
const APP_ID = z.string().regex(/^\d{16}$/, 'must be a 16-digit app id');
const IssueForm = z
  .strictObject({
    app_id: APP_ID,
    public_key: z.string().max(20_000).optional(),
    csr: z.string().max(20_000).optional(),
  })
  .refine((form) => Boolean(form.public_key?.trim()) !== Boolean(form.csr?.trim()), {
    message: '填写应用公钥或 CSR 其中之一',
  });

const FILES = {
  app: (appId: string) => `appCertPublicKey_${appId}.crt`,
  alipay: () => 'alipayCertPublicKey_RSA2.crt',
  root: () => 'alipayRootCert.crt',
};

function resultPage(bundle: AppCertificateBundle): string {
  const file = (name: string, sn: string, pem: string) =>
    html`<div class="card">
      <p><a href="/console/apps/${bundle.appId}/${name}" download="${name}">${name}</a></p>
      <p class="subject">SN ${sn}</p>
      <pre style="white-space:pre-wrap;font-size:11px">${pem}</pre>
    </div>`;
  return page(
    TITLE,
    html`<div class="notice">应用 ${bundle.appId} 已切换为公钥证书模式。</div>
      ${file(FILES.app(bundle.appId), bundle.appCertSn, bundle.appCertificate)}
      ${file(FILES.alipay(), bundle.alipayCertSn, bundle.alipayCertificate)}
      ${file(FILES.root(), bundle.alipayRootCertSn, bundle.alipayRootCertificate)}`,
  );
}

export function consoleRouter(deps: Deps): Router {
  const router = new Router();
  router.use(pageErrors);

  router.get('/console/certificate', (ctx) => {
    sendPage(
      ctx,
      page(
        TITLE,
        html`<form method="post" action="/console/certificate">
          <div class="card">
            <p>应用 APPID</p>
            <input name="app_id" value="${deps.config.appId}" style="width:100%" />
            <p>应用公钥（PEM 或控制台的 base64）</p>
            <textarea name="public_key" rows="6" style="width:100%"></textarea>
            <p>或 CSR（-----BEGIN CERTIFICATE REQUEST-----）</p>
            <textarea name="csr" rows="6" style="width:100%"></textarea>
          </div>
          <button class="primary" type="submit">生成证书</button>
        </form>`,
      ),
    );
  });

  router.post('/console/certificate', async (ctx) => {
    const form = await readPageForm(ctx, IssueForm, TITLE);
    let publicKey;
    try {
      publicKey = form.csr?.trim() ? await publicKeyFromCsr(form.csr) : loadPublicKey(form.public_key ?? '');
    } catch (error) {
      if (error instanceof CsrError) throw new PageError(400, TITLE, `CSR 无效：${error.message}`);
      throw new PageError(400, TITLE, `应用公钥无效：${(error as Error).message}`);
    }
    sendPage(ctx, resultPage(await issueAppCertificate(deps, form.app_id, publicKey, undefined)), 201);
  });

  router.get('/console/apps/:appId/:file', (ctx) => {
    const appId = APP_ID.safeParse(ctx.params.appId);
    if (!appId.success) throw new PageError(400, TITLE, 'APPID 无效');
    let bundle: AppCertificateBundle;
    try {
      bundle = appCertificateBundle(deps, appId.data);
    } catch (error) {
      if (error instanceof NotFoundError) throw new PageError(404, TITLE, error.message);
      throw error;
    }
    const files: Record<string, string> = {
      [FILES.app(appId.data)]: bundle.appCertificate,
      [FILES.alipay()]: bundle.alipayCertificate,
      [FILES.root()]: bundle.alipayRootCertificate,
    };
    const body = files[ctx.params.file ?? ''];
    if (body === undefined) throw new PageError(404, TITLE, `没有文件 ${ctx.params.file ?? ''}`);
    ctx.type = 'application/x-x509-ca-cert';
    ctx.attachment(ctx.params.file);
    ctx.body = body;
  });
  return router;
}

import { z } from 'zod';
import { findAlipayCertificate } from '../../certs/certs.service';
import { readBiz } from '../biz-content';
import { businessFailed } from '../gateway-error';
import { SUCCESS, type MethodHandler } from '../method';

/**
 * alipay.open.app.alipaycert.download (https://opendocs.alipay.com/open/00fdf1f3_alipay.open.app.alipaycert.download):
 * `alipay_cert_content` is the base64 of the certificate's PEM chain (leaf, then intermediate), which the Java SDK
 * decodes and checks against the root bundle. Any certificate the sandbox ever signed under can be fetched. The
 * sub code for an unknown SN is *unconfirmed* (Alipay documents none); the sandbox answers 40004 CERT_NOT_EXIST.
 */
const DownloadBiz = z.object({ alipay_cert_sn: z.string().min(1).max(128) });

export const alipayCertDownload: MethodHandler = (deps, call) => {
  const biz = readBiz(DownloadBiz, call.biz);
  const cert = findAlipayCertificate(deps, biz.alipay_cert_sn);
  if (!cert) throw businessFailed('CERT_NOT_EXIST', `支付宝公钥证书不存在：${biz.alipay_cert_sn}`);
  return { ...SUCCESS, alipay_cert_content: Buffer.from(cert.chainPem, 'utf8').toString('base64') };
};

import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateRsaKeyPair } from '@shop/alipay';

/**
 * Development identities, fixed so that the API, the sandbox, the end-to-end tests and the benchmarks agree with no
 * manual step (DESIGN.md, "Development identities"). Nothing here is used when real keys are configured.
 */

export const DEV_APP_ID = '9021000000000001';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORTS = { api: 3000, sandbox: 3100, shop: 10086, admin: 10087 } as const;

export interface DevBuyer {
  userId: string;
  openId: string;
  nickname: string;
  balanceFen: number;
}

/** Seeded sandbox buyers. The last one has little money, to exercise declined payments. */
export const DEV_BUYERS: readonly DevBuyer[] = [
  {
    userId: '2088000000000001',
    openId: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYo0001',
    nickname: '张小明',
    balanceFen: 10_000_000,
  },
  {
    userId: '2088000000000002',
    openId: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYo0002',
    nickname: '李华',
    balanceFen: 10_000_000,
  },
  {
    userId: '2088000000000003',
    openId: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYo0003',
    nickname: '王芳',
    balanceFen: 10_000_000,
  },
  {
    userId: '2088000000000004',
    openId: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYo0004',
    nickname: '赵磊',
    balanceFen: 10_000_000,
  },
  {
    userId: '2088000000000005',
    openId: '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYo0005',
    nickname: '钱少',
    balanceFen: 500,
  },
];

export type MessageTemplateKind = 'payment' | 'shipping' | 'refund';

export interface MessageTemplateKeyword {
  /** The placeholder name the template's `data` uses (`keyword1` ...). */
  key: string;
  /** What the shopper sees beside the value. */
  label: string;
}

export interface DevMessageTemplate {
  /** The `user_template_id`, shaped like Alipay's (the base64 of 32 hex digits). */
  id: string;
  kind: MessageTemplateKind;
  title: string;
  keywords: readonly MessageTemplateKeyword[];
}

/**
 * The subscription message templates (订阅消息模板) of the development app: one-time templates the shop sends after a
 * payment, a shipment and a refund. The sandbox registers them for the development app at start; the shop asks the
 * shopper with `my.requestSubscribeMessage({ entityIds })` and sends with
 * `alipay.open.app.mini.templatemessage.send`. At Alipay the ids come from the merchant console (领用订阅消息模板).
 */
export const DEV_MESSAGE_TEMPLATES: readonly DevMessageTemplate[] = [
  {
    id: 'ZDZkZDZlYzBlZWJmNTVkYjg0MzdhNWI0ODk2OGZlMDM=',
    kind: 'payment',
    title: '支付成功通知',
    keywords: [
      { key: 'keyword1', label: '订单编号' },
      { key: 'keyword2', label: '支付金额' },
      { key: 'keyword3', label: '支付时间' },
      { key: 'keyword4', label: '商品名称' },
    ],
  },
  {
    id: 'ODFmOTVkZmViNTYxNjE0M2U0NmVmYTdhN2VmMDhhNDM=',
    kind: 'shipping',
    title: '订单发货通知',
    keywords: [
      { key: 'keyword1', label: '订单编号' },
      { key: 'keyword2', label: '物流公司' },
      { key: 'keyword3', label: '运单号' },
      { key: 'keyword4', label: '发货时间' },
    ],
  },
  {
    id: 'ZmUyOWFkMDhlMDRhN2VlODA5MDdmYjhlN2U0N2EwMGQ=',
    kind: 'refund',
    title: '退款成功通知',
    keywords: [
      { key: 'keyword1', label: '订单编号' },
      { key: 'keyword2', label: '退款金额' },
      { key: 'keyword3', label: '退款时间' },
      { key: 'keyword4', label: '退款原因' },
    ],
  },
];

export interface DemoAdmin {
  username: string;
  password: string;
  role: 'owner' | 'staff';
  displayName: string;
}

/** Seeded in development databases only; production gets no default account. */
export const DEMO_ADMINS: readonly DemoAdmin[] = [
  { username: 'owner', password: 'owner-demo-2026', role: 'owner', displayName: '店主' },
  { username: 'staff', password: 'staff-demo-2026', role: 'staff', displayName: '店员' },
];

/** The data folder: `DATA_DIR` or `.data/` at the repository root, resolved by the caller's env module. */
export function keysDir(dataDir: string): string {
  return join(resolve(dataDir), 'keys');
}

export interface DevKeyFiles {
  appPrivate: string;
  appPublic: string;
  alipayPrivate: string;
  alipayPublic: string;
}

export function devKeyFiles(dataDir: string): DevKeyFiles {
  const dir = keysDir(dataDir);
  return {
    appPrivate: join(dir, 'app-private.pem'),
    appPublic: join(dir, 'app-public.pem'),
    alipayPrivate: join(dir, 'alipay-private.pem'),
    alipayPublic: join(dir, 'alipay-public.pem'),
  };
}

export interface DevKeys {
  appPrivatePem: string;
  appPublicPem: string;
  alipayPrivatePem: string;
  alipayPublicPem: string;
}

function readKeys(files: DevKeyFiles): DevKeys {
  return {
    appPrivatePem: readFileSync(files.appPrivate, 'utf8'),
    appPublicPem: readFileSync(files.appPublic, 'utf8'),
    alipayPrivatePem: readFileSync(files.alipayPrivate, 'utf8'),
    alipayPublicPem: readFileSync(files.alipayPublic, 'utf8'),
  };
}

/**
 * Returns the development key pairs under `<dataDir>/keys/`, generating both on first use. The API and the sandbox
 * may start at the same moment: a hard link (atomic, fails if it exists) claims the generation, so exactly one process
 * writes the keys and the others wait for its `.written` marker and read the same files.
 */
export function ensureDevKeys(dataDir: string): DevKeys {
  const files = devKeyFiles(dataDir);
  const dir = keysDir(dataDir);
  const claim = join(dir, '.claimed');
  const written = join(dir, '.written');
  mkdirSync(dir, { recursive: true });
  if (existsSync(written)) return readKeys(files);

  const ticket = join(dir, `.ticket-${process.pid}-${Date.now()}`);
  writeFileSync(ticket, String(process.pid));
  let claimed = false;
  try {
    linkSync(ticket, claim);
    claimed = true;
  } catch {
    // another process claimed it first
  } finally {
    rmSync(ticket, { force: true });
  }
  if (!claimed) return waitForKeys(files, written);

  const app = generateRsaKeyPair();
  const alipay = generateRsaKeyPair();
  const write = (path: string, pem: string) => writeFileSync(path, pem, { mode: 0o600 });
  write(files.appPrivate, app.privateKeyPem);
  write(files.appPublic, app.publicKeyPem);
  write(files.alipayPrivate, alipay.privateKeyPem);
  write(files.alipayPublic, alipay.publicKeyPem);
  writeFileSync(written, 'ok\n');
  return readKeys(files);
}

function waitForKeys(files: DevKeyFiles, written: string): DevKeys {
  const deadline = Date.now() + 15_000;
  while (!existsSync(written)) {
    if (Date.now() > deadline) {
      throw new Error(
        `development keys in ${join(written, '..')} were claimed but never written; delete that folder`,
      );
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  return readKeys(files);
}

import { loadPublicKey } from '@shop/alipay';
import { z } from 'zod';
import { AUTH_SCOPES } from '../oauth/oauth.service';
import { FaultSpec } from '../faults/faults';

/** Control API inputs. Strict: an unknown key is a 400, so a typo never silently does nothing. */

const fen = z.int().min(0).max(10_000_000_000);
const positiveFen = z.int().min(1).max(10_000_000_000);
const outNo = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'must be 1 to 64 letters, digits or underscores');
const userId = z.string().regex(/^2088\d{12}$/, 'must be a 16-digit user id starting 2088');

export const RegisterApp = z.strictObject({
  appId: z.string().regex(/^\d{16}$/, 'must be a 16-digit app id'),
  publicKey: z.string().refine(
    (text) => {
      try {
        loadPublicKey(text);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an RSA-2048 public key (PEM or bare base64)' },
  ),
  openIdMode: z.boolean().optional(),
});

export const CreateBuyer = z.strictObject({
  userId: userId.optional(),
  openId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8 to 128 letters, digits, - or _')
    .optional(),
  nickname: z.string().min(1).max(32),
  logonId: z.string().min(3).max(64).optional(),
  balanceFen: fen,
});

export const UpdateBuyer = z
  .strictObject({ nickname: z.string().min(1).max(32).optional(), balanceFen: fen.optional() })
  .refine((value) => value.nickname !== undefined || value.balanceFen !== undefined, {
    message: 'give nickname or balanceFen',
  });

export const IssueAuthCode = z.strictObject({
  buyerId: userId,
  appId: z
    .string()
    .regex(/^\d{16}$/, 'must be a 16-digit app id')
    .optional(),
  scope: z.enum(AUTH_SCOPES).optional(),
});

export const EmptyBody = z.strictObject({});

export const TradeNoParam = z.object({ tradeNo: z.string().regex(/^\d{1,64}$/, 'must be a trade number') });
export const UserIdParam = z.object({ userId });

export const TradesQuery = z.strictObject({ outTradeNo: outNo, appId: z.string().optional() });

export const PayTrade = z.strictObject({ buyerId: userId.optional(), force: z.boolean().optional() });

export const RefundTradeBody = z.strictObject({
  amountFen: positiveFen,
  outRequestNo: outNo.optional(),
  reason: z.string().max(256).optional(),
});

export const TradeFilterQuery = z
  .strictObject({ outTradeNo: outNo.optional(), tradeNo: z.string().min(1).optional() })
  .refine((value) => value.outTradeNo !== undefined || value.tradeNo !== undefined, {
    message: 'give outTradeNo or tradeNo',
  });

export const LedgerQuery = z.strictObject({
  outTradeNo: outNo.optional(),
  tradeNo: z.string().min(1).optional(),
  buyerId: userId.optional(),
});

export const BillAdjustmentBody = z
  .strictObject({
    tradeNo: z.string().min(1),
    /** Adjust the refund row with this request number instead of the trade row. */
    outRequestNo: outNo.optional(),
    field: z.enum(['orderAmount', 'receiptAmount', 'serviceFee']).optional(),
    amountFen: z.int().min(-10_000_000_000).max(10_000_000_000).optional(),
    omit: z.literal(true).optional(),
  })
  .refine((value) => (value.omit === true) !== (value.field !== undefined && value.amountFen !== undefined), {
    message: 'give either field and amountFen, or omit: true',
  });

export const Settings = z
  .strictObject({
    billsSameDay: z.boolean().optional(),
    certChecks: z.enum(['strict', 'lenient']).optional(),
  })
  .refine((value) => value.billsSameDay !== undefined || value.certChecks !== undefined, {
    message: 'give billsSameDay or certChecks',
  });

const pemOf = (label: string) =>
  z
    .string()
    .max(20_000)
    .refine((text) => text.includes(`-----BEGIN ${label}-----`), { message: `must be a PEM ${label}` });

/** The app's key for a certificate: its public key (PEM or the console's bare base64), or a CSR. */
export const IssueAppCertificate = z
  .strictObject({
    publicKey: z
      .string()
      .max(20_000)
      .refine(
        (text) => {
          try {
            loadPublicKey(text);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be an RSA-2048 public key (PEM or bare base64)' },
      )
      .optional(),
    csr: pemOf('CERTIFICATE REQUEST').optional(),
    openIdMode: z.boolean().optional(),
  })
  .refine((value) => (value.publicKey === undefined) !== (value.csr === undefined), {
    message: 'give either publicKey or csr',
  });

/** Agreements given through the control API, as if the buyer allowed them on the subscribe page. */
export const GrantSubscriptions = z.strictObject({
  appId: z
    .string()
    .regex(/^\d{16}$/, 'must be a 16-digit app id')
    .optional(),
  templateIds: z
    .array(z.string().min(1).max(64))
    .min(1, 'give at least one template id')
    .max(50, 'give at most 50 template ids'),
});

export const SubscriptionsQuery = z.strictObject({
  appId: z
    .string()
    .regex(/^\d{16}$/, 'must be a 16-digit app id')
    .optional(),
});

export const NoQuery = z.strictObject({});

export const AppIdParam = z.object({ appId: z.string().regex(/^\d{16}$/, 'must be a 16-digit app id') });

export const ScanBody = z.strictObject({ buyerId: userId });

export const QrTokenParam = z.object({
  token: z.string().regex(/^bax0[0-9a-f]{20}$/, 'must be a sandbox QR code'),
});

export const PendingOrdersQuery = z.strictObject({ outTradeNo: outNo });

export const FaultIdParam = z.object({ id: z.coerce.number().int().min(1) });

export { FaultSpec };

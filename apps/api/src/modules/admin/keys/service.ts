import type { AdminKeySettings, KeyRole, NotifyOutcome } from '@shop/contract';
import type { ApiDeps } from '../../../deps';
import { countRowsByKey } from '../../keys/address-keys';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const RECENT_NOTIFIES = 20;

/**
 * The settings page's keys: the address keys with the rows under each, and the Alipay public keys with the notifies
 * each verified lately (NotifyInbox.alipayKeyId), beside the most recent notifies. Read only; nothing secret leaves
 * (key ids only).
 */
export async function keySettings(
  deps: Pick<ApiDeps, 'db' | 'cipher' | 'alipay'>,
  now = new Date(),
): Promise<AdminKeySettings> {
  const { db, cipher, alipay } = deps;
  const addressKeys = cipher.keyIds.map((keyId, i): { keyId: string; role: KeyRole } => ({
    keyId,
    role: i === 0 ? 'current' : 'old',
  }));
  const tables = (await countRowsByKey(db, cipher.keyIds)).map(({ table, rows, byKey, unknown }) => ({
    table,
    rows,
    byKey,
    unknown,
  }));
  const since = new Date(now.getTime() - WEEK_MS);
  const [byKey, recent] = await Promise.all([
    db.notifyInbox.groupBy({
      by: ['alipayKeyId'],
      where: { receivedAt: { gte: since }, alipayKeyId: { not: null } },
      _count: { _all: true },
      _max: { receivedAt: true },
    }),
    db.notifyInbox.findMany({
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: RECENT_NOTIFIES,
      select: {
        id: true,
        receivedAt: true,
        notifyId: true,
        outTradeNo: true,
        outcome: true,
        alipayKeyId: true,
      },
    }),
  ]);
  const certificate = alipay.mode === 'certificate';
  return {
    address: { keys: addressKeys, tables },
    alipay: {
      mode: alipay.mode,
      keys: alipay.alipayPublicKeyIds.map((keyId, i) => {
        const seen = byKey.find((row) => row.alipayKeyId === keyId);
        const role: KeyRole = certificate ? 'certificate' : i === 0 ? 'current' : 'next';
        return {
          keyId,
          role,
          notifies7d: seen?._count._all ?? 0,
          lastNotifyAt: seen?._max.receivedAt?.toISOString() ?? null,
        };
      }),
      recentNotifies: recent.map((row) => ({
        ...row,
        // The column holds only the pipeline's outcomes (payment/notify.service.ts), as payment/views.ts reads it.
        outcome: row.outcome as NotifyOutcome,
        receivedAt: row.receivedAt.toISOString(),
      })),
    },
  };
}

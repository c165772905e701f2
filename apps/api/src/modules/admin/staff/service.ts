import type { AdminAccount, AdminAccountList, AdminStaffCreateBody } from '@shop/contract';
import { Prisma, type Admin } from '@shop/db';
import { inTransaction, type Db } from '../../../db';
import { AppError, notFound } from '../../../errors';
import { hashPassword } from '../../../lib/password';
import { audit, type AdminActor } from '../audit/service';

/** Merchant accounts (owner only): list them, add staff, deactivate staff (their sessions end at once). */

export function accountView(admin: Admin): AdminAccount {
  return {
    id: admin.id,
    username: admin.username,
    role: admin.role,
    displayName: admin.displayName,
    active: admin.active,
    createdAt: admin.createdAt.toISOString(),
    lastLoginAt: admin.lastLoginAt?.toISOString() ?? null,
  };
}

export async function listAccounts(db: Db): Promise<AdminAccountList> {
  // Roles are stored as their names, and 'owner' sorts before 'staff'.
  const rows = await db.admin.findMany({ orderBy: [{ role: 'asc' }, { username: 'asc' }] });
  return { items: rows.map(accountView) };
}

export async function createStaff(
  db: Db,
  actor: AdminActor,
  body: AdminStaffCreateBody,
): Promise<AdminAccount> {
  // Hashing takes a tenth of a second of CPU and 32 MiB: outside the transaction, which holds the write lock.
  const passwordHash = await hashPassword(body.password);
  try {
    return await inTransaction(db, async (tx) => {
      const admin = await tx.admin.create({
        data: { username: body.username, displayName: body.displayName, passwordHash, role: 'staff' },
      });
      await audit(tx, actor, {
        action: 'staff.create',
        targetType: 'Admin',
        targetId: admin.id,
        after: { username: admin.username, displayName: admin.displayName, role: admin.role, active: true },
      });
      return accountView(admin);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('CONFLICT', 'That username is taken', { details: { username: body.username } });
    }
    throw error;
  }
}

/**
 * Deactivates a staff account: it can no longer sign in, and every session it holds is revoked in the same
 * transaction, so its open tabs get 401 on their next request. Owners are not deactivated here (409 CONFLICT), so a
 * shop always keeps the account that manages the others.
 */
export async function deactivateStaff(db: Db, actor: AdminActor, adminId: string): Promise<AdminAccount> {
  return inTransaction(db, async (tx) => {
    const admin = await tx.admin.findUnique({ where: { id: adminId } });
    if (!admin) throw notFound('Admin');
    if (admin.role === 'owner') {
      throw new AppError('CONFLICT', 'Owner accounts cannot be deactivated', {
        details: { role: admin.role },
      });
    }
    if (!admin.active) return accountView(admin);
    const updated = await tx.admin.update({ where: { id: adminId }, data: { active: false } });
    const { count } = await tx.adminSession.updateMany({
      where: { adminId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await audit(tx, actor, {
      action: 'staff.deactivate',
      targetType: 'Admin',
      targetId: adminId,
      before: { username: admin.username, active: true },
      after: { username: admin.username, active: false, sessionsRevoked: count },
    });
    return accountView(updated);
  });
}

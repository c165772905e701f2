import {
  MAX_ADDRESSES,
  type Address,
  type AddressBody,
  type AddressList,
  type AddressUpdateBody,
} from '@shop/contract';
import { inTransaction, type Db, type Tx } from '../../db';
import { AppError, notFound } from '../../errors';
import type { FieldCipher } from '../../lib/field-cipher';
import { lockKeys } from '../../lib/locks';

export interface AddressDeps {
  db: Db;
  cipher: FieldCipher;
}

interface AddressRow {
  id: string;
  name: string;
  phoneCipher: string;
  province: string;
  city: string;
  district: string;
  detailCipher: string;
  isDefault: boolean;
}

const ROW = {
  id: true,
  name: true,
  phoneCipher: true,
  province: true,
  city: true,
  district: true,
  detailCipher: true,
  isDefault: true,
} as const;

function toView(cipher: FieldCipher, row: AddressRow): Address {
  return {
    id: row.id,
    name: row.name,
    phone: cipher.decrypt(row.phoneCipher),
    province: row.province,
    city: row.city,
    district: row.district,
    detail: cipher.decrypt(row.detailCipher),
    isDefault: row.isDefault,
  };
}

/** The columns written from a body: phone and street detail leave this function only as ciphertext. */
function columns(cipher: FieldCipher, body: AddressBody | AddressUpdateBody) {
  return {
    name: body.name,
    phoneCipher: cipher.encrypt(body.phone),
    province: body.province,
    city: body.city,
    district: body.district,
    detailCipher: cipher.encrypt(body.detail),
  };
}

/** A live address of this user, or 404 (another user's address, or a deleted one, is indistinguishable from none). */
async function findOwn(tx: Tx, userId: string, id: string): Promise<{ id: string; isDefault: boolean }> {
  const row = await tx.address.findFirst({
    where: { id, userId, deletedAt: null },
    select: { id: true, isDefault: true },
  });
  if (!row) throw notFound('Address');
  return row;
}

async function clearDefault(tx: Tx, userId: string): Promise<void> {
  await tx.address.updateMany({
    where: { userId, deletedAt: null, isDefault: true },
    data: { isDefault: false },
  });
}

/** Default first, then the most recently changed. */
export async function listAddresses(deps: AddressDeps, userId: string): Promise<AddressList> {
  const rows = await deps.db.address.findMany({
    where: { userId, deletedAt: null },
    orderBy: [{ isDefault: 'desc' }, { updatedAt: 'desc' }, { id: 'desc' }],
    select: ROW,
  });
  return { items: rows.map((row) => toView(deps.cipher, row)) };
}

/**
 * Every change to a user's address book takes its lock first (lib/locks.ts): the count against MAX_ADDRESSES and the
 * one default are rules over all of the user's rows, which two concurrent transactions on PostgreSQL would each check
 * before the other wrote.
 */
function lockAddressBook(tx: Tx, userId: string): Promise<void> {
  return lockKeys(tx, [`addresses:${userId}`]);
}

/**
 * Adds an address. A user with addresses always has exactly one default: the first address becomes it, and a new
 * default unsets the old one in the same transaction. At most MAX_ADDRESSES live addresses (422 ADDRESS_LIMIT).
 */
export async function createAddress(deps: AddressDeps, userId: string, body: AddressBody): Promise<Address> {
  const row = await inTransaction(deps.db, async (tx) => {
    await lockAddressBook(tx, userId);
    const live = await tx.address.count({ where: { userId, deletedAt: null } });
    if (live >= MAX_ADDRESSES) {
      throw new AppError('ADDRESS_LIMIT', `You can keep at most ${MAX_ADDRESSES} addresses`, {
        details: { max: MAX_ADDRESSES },
      });
    }
    const isDefault = body.isDefault || live === 0;
    if (isDefault) await clearDefault(tx, userId);
    return tx.address.create({ data: { userId, ...columns(deps.cipher, body), isDefault }, select: ROW });
  });
  return toView(deps.cipher, row);
}

/**
 * Replaces an address's fields. `isDefault: true` moves the default here; `false` (or leaving it out) never leaves
 * the user without a default, so on the current default it changes nothing (see AddressUpdateBody).
 */
export async function updateAddress(
  deps: AddressDeps,
  userId: string,
  id: string,
  body: AddressUpdateBody,
): Promise<Address> {
  const row = await inTransaction(deps.db, async (tx) => {
    await lockAddressBook(tx, userId);
    const current = await findOwn(tx, userId, id);
    const makeDefault = body.isDefault === true && !current.isDefault;
    if (makeDefault) await clearDefault(tx, userId);
    return tx.address.update({
      where: { id },
      data: { ...columns(deps.cipher, body), ...(makeDefault ? { isDefault: true } : {}) },
      select: ROW,
    });
  });
  return toView(deps.cipher, row);
}

/**
 * Soft-deletes an address (orders keep their own encrypted snapshot, so nothing else refers to it). Deleting the
 * default promotes the most recently changed remaining address.
 */
export async function deleteAddress(deps: AddressDeps, userId: string, id: string): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    await lockAddressBook(tx, userId);
    const current = await findOwn(tx, userId, id);
    await tx.address.update({ where: { id }, data: { deletedAt: new Date(), isDefault: false } });
    if (!current.isDefault) return;
    const next = await tx.address.findFirst({
      where: { userId, deletedAt: null },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    if (next) await tx.address.update({ where: { id: next.id }, data: { isDefault: true } });
  });
}

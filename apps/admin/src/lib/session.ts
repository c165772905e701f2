import { type AdminProfile, type AdminSessionResponse } from '@shop/contract';

/**
 * The signed-in admin, kept in localStorage so that a reload or a second tab stays signed in. Only the opaque token
 * and the profile shown in the top bar are stored; the API decides what the token may do.
 */
export interface StoredSession {
  token: string;
  expiresAt: string;
  admin: AdminProfile;
}

/** The slice of `Storage` used here, so tests can pass a Map-backed one. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEY = 'shop-admin.session';

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<StoredSession>;
  return (
    typeof v.token === 'string' &&
    v.token !== '' &&
    typeof v.expiresAt === 'string' &&
    typeof v.admin === 'object' &&
    v.admin !== null &&
    typeof v.admin.id === 'string' &&
    (v.admin.role === 'owner' || v.admin.role === 'staff')
  );
}

export interface SessionStore {
  read(): StoredSession | null;
  save(session: AdminSessionResponse): void;
  /** Replaces the profile (after `GET /api/admin/me`), keeping the token. */
  updateProfile(admin: AdminProfile, expiresAt: string): void;
  clear(): void;
}

export function createSessionStore(storage: KeyValueStorage): SessionStore {
  const store: SessionStore = {
    read() {
      let parsed: unknown;
      try {
        parsed = JSON.parse(storage.getItem(KEY) ?? 'null');
      } catch {
        return null;
      }
      // Expiry is the server's call: the session slides forward while it is used, so a stored `expiresAt` can be
      // stale; a session that really ended answers 401 and the client goes to sign-in.
      return isStoredSession(parsed) ? parsed : null;
    },
    save(session) {
      const stored: StoredSession = {
        token: session.token,
        expiresAt: session.expiresAt,
        admin: session.admin,
      };
      storage.setItem(KEY, JSON.stringify(stored));
    },
    updateProfile(admin, expiresAt) {
      const current = store.read();
      if (current === null) return;
      storage.setItem(KEY, JSON.stringify({ ...current, admin, expiresAt }));
    },
    clear() {
      storage.removeItem(KEY);
    },
  };
  return store;
}

import { type AdminMeResponse, type AdminPermission, roleCan } from '@shop/contract';
import { useEffect, useState } from 'react';

import { api, sessionStore } from './api';
import { type StoredSession } from './session';

/**
 * The signed-in admin for the pages. The stored profile renders at once; `GET /api/admin/me` confirms the session
 * once per page load (a token revoked elsewhere, e.g. an account deactivated, ends here with a 401 and the usual
 * redirect) and refreshes the name and role.
 */
let confirmed: Promise<void> | null = null;

function confirmSession(): Promise<void> {
  confirmed ??= api.get<AdminMeResponse>('/api/admin/me').then(
    (me) => sessionStore.updateProfile(me.admin, me.expiresAt),
    () => {
      // A 401 already went to sign-in through the client; any other failure leaves the stored profile in place
      // and lets the next page load try again.
      confirmed = null;
    },
  );
  return confirmed;
}

/** Forget the confirmation (sign-out, sign-in as someone else). */
export function resetSessionCheck(): void {
  confirmed = null;
}

export function useSession(): StoredSession | null {
  const [session, setSession] = useState(() => sessionStore.read());
  const signedIn = session !== null;
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    void confirmSession().then(() => {
      if (live) setSession(sessionStore.read());
    });
    return () => {
      live = false;
    };
  }, [signedIn]);
  return session;
}

/** What the signed-in admin's role may do; the API enforces the same table (`ROLE_PERMISSIONS`). */
export function can(session: StoredSession | null, permission: AdminPermission): boolean {
  return session !== null && roleCan(session.admin.role, permission);
}

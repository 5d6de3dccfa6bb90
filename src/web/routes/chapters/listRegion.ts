import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { SessionPayload } from '../../api/types.ts';
import { coordinatorScopes, hasPermission, hasRole } from '../../app/session.tsx';
import type { PickedRegion } from '../../components/RegionPicker.tsx';

/**
 * Whether the caller works over a region (national admin or coordinator): the chapter and
 * partner exports are regional, a community admin's grant reaches no region to export.
 */
export function worksOverRegion(session: SessionPayload, permission: string): boolean {
  return hasPermission(session, permission) && (hasRole(session, 'national_admin') || coordinatorScopes(session).length > 0);
}


/**
 * The region filter of a list kept in the address as a code (`?wilayah=32.73`): shown with its
 * name once the region is looked up, so a shared or reloaded link reads "Kota Bandung".
 */
export function useUrlRegion(code: string | null) {
  const [region, setRegion] = useState<PickedRegion | null>(code ? { code, name: code } : null);
  useEffect(() => {
    if (!region || region.name !== region.code) return;
    let live = true;
    api
      .get<{ code: string; name: string }>(`/api/regions/${encodeURIComponent(region.code)}`)
      .then((r) => {
        if (live) setRegion((now) => (now?.code === r.code ? { code: r.code, name: r.name } : now));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [region]);
  return [region, setRegion] as const;
}

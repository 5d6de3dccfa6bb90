import { describe, expect, it } from 'vitest';
import { can, canGrant, regionCovers, regionFilter, scopeWithin, type Actor, type Grant } from './access.ts';

const actor = (...grants: Grant[]): Actor => ({ userId: 1, name: 'x', email: 'x@contoh.id', locale: 'id', regionCode: null, grants });
const national: Grant = { role: 'national_admin', scopeType: 'national', scopeCode: '' };
const jabar: Grant = { role: 'regional_coordinator', scopeType: 'province', scopeCode: '32' };
const bandung: Grant = { role: 'regional_coordinator', scopeType: 'regency', scopeCode: '32.73' };

describe('regionCovers', () => {
  it('covers the scope itself and everything beneath it, nothing else', () => {
    expect(regionCovers(jabar, '32')).toBe(true);
    expect(regionCovers(jabar, '32.73.01.1001')).toBe(true);
    expect(regionCovers(bandung, '32.73')).toBe(true);
    expect(regionCovers(bandung, '32.73.05')).toBe(true);
    expect(regionCovers(bandung, '32.04')).toBe(false);
    // A prefix that is not a parent: 32.7 is not 32.73 and 3 is not 32.
    expect(regionCovers({ scopeType: 'province', scopeCode: '3' }, '32.73')).toBe(false);
    expect(regionCovers(bandung, '32.730')).toBe(false);
    expect(regionCovers(bandung, null)).toBe(false);
    expect(regionCovers(national, null)).toBe(true);
  });
});

describe('can and regionFilter', () => {
  it('grants permissions by role within the scope only', () => {
    expect(can(actor(bandung), 'users.read', '32.73')).toBe(true);
    expect(can(actor(bandung), 'users.read', '35.73')).toBe(false);
    expect(can(actor(bandung), 'programmes.configure', '32.73')).toBe(false);
    expect(can(actor({ role: 'member', scopeType: 'regency', scopeCode: '32.73' }), 'users.read', '32.73')).toBe(false);
    expect(can(null, 'users.read', '32.73')).toBe(false);
  });

  it('turns grants into a filter for list queries', () => {
    expect(regionFilter(actor(national), 'users.read')).toEqual({ kind: 'all' });
    expect(regionFilter(actor(bandung, jabar), 'users.read')).toEqual({ kind: 'prefixes', codes: ['32.73', '32'] });
    expect(regionFilter(actor({ role: 'member', scopeType: 'regency', scopeCode: '32.73' }), 'users.read')).toEqual({ kind: 'none' });
    expect(regionFilter(null, 'users.read')).toEqual({ kind: 'none' });
  });
});

describe('canGrant', () => {
  it('lets a coordinator hand out only lesser roles inside their own scope', () => {
    expect(canGrant(actor(bandung), { role: 'regional_coordinator', scopeType: 'regency', scopeCode: '32.73' })).toBe(true);
    expect(canGrant(actor(bandung), { role: 'field_volunteer', scopeType: 'regency', scopeCode: '32.73' })).toBe(true);
    expect(canGrant(actor(bandung), { role: 'regional_coordinator', scopeType: 'regency', scopeCode: '35.73' })).toBe(false);
    expect(canGrant(actor(bandung), { role: 'regional_coordinator', scopeType: 'province', scopeCode: '32' })).toBe(false);
    expect(canGrant(actor(bandung), national)).toBe(false);
    expect(canGrant(actor(bandung), { role: 'curator', scopeType: 'province', scopeCode: '32' })).toBe(false);
    expect(canGrant(actor(jabar), { role: 'regional_coordinator', scopeType: 'regency', scopeCode: '32.04' })).toBe(true);
    expect(canGrant(actor(national), { role: 'curator', scopeType: 'national', scopeCode: '' })).toBe(true);
    // A role in a scope type that does not fit it is refused even for the national admin.
    expect(canGrant(actor(national), { role: 'national_admin', scopeType: 'province', scopeCode: '32' })).toBe(false);
  });

  it('compares scopes by containment', () => {
    expect(scopeWithin(bandung, jabar)).toBe(true);
    expect(scopeWithin(jabar, bandung)).toBe(false);
    expect(scopeWithin(national, jabar)).toBe(false);
    expect(scopeWithin(jabar, national)).toBe(true);
  });
});

describe('community scopes', () => {
  const community = (region: string | null): Grant => ({ role: 'community_admin', scopeType: 'community', scopeCode: '17', scopeRegion: region });
  it('may be granted by a coordinator of the community’s region only', () => {
    expect(canGrant(actor(bandung), community('32.73'))).toBe(true);
    expect(canGrant(actor(jabar), community('32.73'))).toBe(true);
    expect(canGrant(actor(bandung), community('35.73'))).toBe(false);
    expect(canGrant(actor(bandung), community(null))).toBe(false);
    expect(canGrant(actor(national), community('35.73'))).toBe(true);
  });

  it('never gives region-wide reach to a community admin', () => {
    const admin = actor(community('32.73'));
    expect(regionCovers(community('32.73'), '32.73')).toBe(false);
    expect(regionFilter(admin, 'users.read')).toEqual({ kind: 'none' });
  });
});

/**
 * The registry's services, in one place for routes and for other modules (self-registration,
 * imports, DAMPING, RESCUE…) that read or write members and communities through the registry's rules.
 */
export * from './members.service.ts';
export * from './communities.service.ts';
export * from './chapters.service.ts';
export * from './partners.service.ts';
export { maskPhone, nameSearch, searchNameOf, type RequestMeta, type Warning } from './common.ts';

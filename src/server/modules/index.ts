import type { ModulePlugin } from '../platform/http.ts';
import { identityRoutes } from './identity/routes.ts';
export { resolveSession } from './identity/service.ts';

/** Every domain module's routes, registered in this order. */
export const modules: ModulePlugin[] = [identityRoutes];

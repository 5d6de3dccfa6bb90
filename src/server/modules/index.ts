import type { AppContext } from '../platform/context.ts';
import type { ModulePlugin } from '../platform/http.ts';
import { identityRoutes } from './identity/routes.ts';
import { regionRoutes } from './regions/routes.ts';
import { registryRoutes } from './registry/routes.ts';
import { registryDashboardRoutes } from './registry/dashboard.routes.ts';
import { registrationRoutes } from './registry/registration.routes.ts';
import { selfServiceRoutes } from './registry/self-service.routes.ts';
import { registryImportRoutes } from './registry/import.routes.ts';
import { registerImportJobs } from './registry/import.service.ts';
import { registryExportRoutes } from './registry/export.routes.ts';
import { subsectorRoutes } from './subsectors/routes.ts';
import { beneficiaryRoutes } from './beneficiaries/routes.ts';
export { resolveSession } from './identity/service.ts';

/** Every domain module's routes, registered in this order. */
export const modules: ModulePlugin[] = [identityRoutes, regionRoutes, subsectorRoutes, registryRoutes, registryDashboardRoutes, registrationRoutes, selfServiceRoutes, registryImportRoutes, registryExportRoutes, beneficiaryRoutes];

/** Every domain module's background job handlers. */
export function registerJobs(ctx: AppContext): void {
  registerImportJobs(ctx);
}

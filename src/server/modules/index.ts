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
import { partnerKeyRoutes } from './registry/partner-keys.routes.ts';
import { subsectorRoutes } from './subsectors/routes.ts';
import { beneficiaryRoutes } from './beneficiaries/routes.ts';
import { benefitRoutes } from './beneficiaries/benefits.routes.ts';
import { overlapRoutes } from './beneficiaries/overlap.routes.ts';
import { dedupRunRoutes } from './beneficiaries/dedup-run.routes.ts';
import { registerDedupJobs } from './beneficiaries/dedup-run.service.ts';
import { beneficiaryImportRoutes } from './beneficiaries/beneficiary-import.routes.ts';
import { registerBeneficiaryImportJobs } from './beneficiaries/beneficiary-import.service.ts';
export { resolveSession } from './identity/service.ts';
export { resolvePartnerKey } from './registry/partner-keys.service.ts';

/** Every domain module's routes, registered in this order. */
export const modules: ModulePlugin[] = [identityRoutes, regionRoutes, subsectorRoutes, registryRoutes, registryDashboardRoutes, registrationRoutes, selfServiceRoutes, registryImportRoutes, registryExportRoutes, partnerKeyRoutes, beneficiaryRoutes, dedupRunRoutes, benefitRoutes, overlapRoutes, beneficiaryImportRoutes];

/** Every domain module's background job handlers. */
export function registerJobs(ctx: AppContext): void {
  registerImportJobs(ctx);
  registerDedupJobs(ctx);
  registerBeneficiaryImportJobs(ctx);
}

/**
 * HTTP API of a member's own data: correct (PATCH /api/members/me), export (JSON or CSV) and ask
 * for deletion; the coordinator's deletion on a request received offline; update campaigns with
 * personal links; and the coordinator's queue of pending registrations.
 */
import type { FastifyRequest } from 'fastify';
import { requireActor } from '../../platform/access.ts';
import { fieldMessage } from '../../platform/errors.ts';
import type { ModulePlugin } from '../../platform/http.ts';
import { updateOwnMember } from './members.service.ts';
import type { RequestMeta } from './common.ts';
import { IdParams, Member, MemberWithWarnings } from './schemas.ts';
import {
  CampaignListQuery,
  DeletionInput,
  DeletionResult,
  ExportQuery,
  LinkUpdateInput,
  NewUpdateCampaignInput,
  OwnMemberPatchInput,
  PendingApprovals,
  TokenParams,
  UpdateCampaign,
  UpdateCampaignLinks,
  UpdateCampaignList,
} from './self-service.schemas.ts';
import {
  campaignLinksCsv,
  createUpdateCampaign,
  deleteMemberOnRequest,
  deleteOwnMember,
  exportOwnData,
  getUpdateCampaign,
  issueCampaignLinks,
  listUpdateCampaigns,
  ownDataCsv,
  pendingApprovals,
  readThroughLink,
  updateThroughLink,
} from './self-service.service.ts';

const meta = (req: FastifyRequest): RequestMeta => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };
const localised = (req: FastifyRequest, warnings: { path: string; code: Parameters<typeof fieldMessage>[0]; params?: Record<string, string | number> }[]) =>
  warnings.map((w) => ({ path: w.path, code: w.code, message: fieldMessage(w.code, req.locale, w.params) }));

export const selfServiceRoutes: ModulePlugin = (app, ctx) => {
  /**
   * Where personal links point: SIMPUL_PUBLIC_URL, else the origin the caller used (behind a proxy
   * that needs SIMPUL_TRUST_PROXY for the scheme and host to be the public ones).
   */
  const publicBase = (req: FastifyRequest) => ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;

  app.patch(
    '/api/members/me',
    {
      schema: {
        tags: ['registry'],
        summary: 'Correct your own member record (name, contacts, birth date, district, subsectors, skills, links); a regency move or NIK goes through a coordinator',
        body: OwnMemberPatchInput,
        response: { 200: MemberWithWarnings },
        ...session,
      },
    },
    async (req) => {
      const { member, warnings } = await updateOwnMember(ctx, requireActor(req.actor), req.body, meta(req));
      return { member, warnings: localised(req, warnings) };
    },
  );

  app.get(
    '/api/members/me/export',
    {
      schema: {
        tags: ['registry'],
        summary: 'Download all your own data (member record, account, consents), unmasked, as JSON or CSV',
        querystring: ExportQuery,
        ...session,
      },
    },
    async (req, reply) => {
      const data = await exportOwnData(ctx, requireActor(req.actor), meta(req));
      reply.header('cache-control', 'no-store');
      const name = `simpul-data-saya-${data.member.id}`;
      if (req.query.format === 'csv') {
        reply.header('content-disposition', `attachment; filename="${name}.csv"`);
        return reply.type('text/csv; charset=utf-8').send(ownDataCsv(data));
      }
      reply.header('content-disposition', `attachment; filename="${name}.json"`);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
    },
  );

  app.post(
    '/api/members/me/deletion',
    {
      schema: {
        tags: ['registry'],
        summary: 'Delete your own member data: anonymised at once, kept in the statistics without anything that identifies you; your login is closed',
        body: DeletionInput,
        response: { 200: DeletionResult },
        ...session,
      },
    },
    async (req) => deleteOwnMember(ctx, requireActor(req.actor), req.body, meta(req)),
  );

  app.post(
    '/api/members/:id/deletion',
    {
      schema: {
        tags: ['registry'],
        summary: 'Carry out a member’s deletion request received offline (coordinators of the member’s region; UU PDP: within 3×24 hours)',
        params: IdParams,
        body: DeletionInput,
        response: { 200: DeletionResult },
        ...session,
      },
    },
    async (req) => deleteMemberOnRequest(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  // ---------------------------------------------------------------- update campaigns and links

  app.post(
    '/api/registry/update-campaigns',
    {
      schema: {
        tags: ['registry'],
        summary: 'Start a data-update campaign for a region (coordinators in scope); then download the personal links',
        body: NewUpdateCampaignInput,
        response: { 201: UpdateCampaign },
        ...session,
      },
    },
    async (req, reply) => reply.code(201).send(await createUpdateCampaign(ctx, requireActor(req.actor), req.body, meta(req))),
  );

  app.get(
    '/api/registry/update-campaigns',
    {
      schema: {
        tags: ['registry'],
        summary: 'Update campaigns the caller may run (their whole region lies in the caller’s scope), newest first, with progress',
        querystring: CampaignListQuery,
        response: { 200: UpdateCampaignList },
        ...session,
      },
    },
    async (req) => listUpdateCampaigns(ctx, requireActor(req.actor), req.query),
  );

  app.get(
    '/api/registry/update-campaigns/:id',
    {
      schema: { tags: ['registry'], summary: 'One update campaign with its progress', params: IdParams, response: { 200: UpdateCampaign }, ...session },
    },
    async (req) => getUpdateCampaign(ctx, requireActor(req.actor), req.params.id),
  );

  // Issuing is a write (it replaces unused links), hence POST; the links exist in clear only in
  // this answer (only their hashes are stored), so the CSV is another form of the same issuing,
  // not a later download. See self-service.service.ts.
  app.post(
    '/api/registry/update-campaigns/:id/links',
    {
      schema: {
        tags: ['registry'],
        summary: 'Issue the personal update links of a campaign (shown once; issuing again replaces the unused ones, members who answered are skipped)',
        params: IdParams,
        response: { 200: UpdateCampaignLinks },
        ...session,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return issueCampaignLinks(ctx, requireActor(req.actor), req.params.id, publicBase(req), meta(req));
    },
  );

  app.post(
    '/api/registry/update-campaigns/:id/links.csv',
    {
      schema: {
        tags: ['registry'],
        summary: 'Issue the personal update links as a CSV (name, phone masked or in clear by permission, link, wa.me link, expiry); same effect as …/links',
        params: IdParams,
        ...session,
      },
    },
    async (req, reply) => {
      const issued = await issueCampaignLinks(ctx, requireActor(req.actor), req.params.id, publicBase(req), meta(req));
      const name = `${req.locale === 'en' ? 'update-links' : 'tautan-pembaruan'}-${issued.campaignId}-${new Date().toISOString().slice(0, 10)}.csv`;
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('content-language', req.locale)
        .type('text/csv; charset=utf-8')
        .send(campaignLinksCsv(issued, req.locale));
    },
  );

  app.get(
    '/api/registry/pending-approvals',
    {
      schema: {
        tags: ['registry'],
        summary: 'Pending member and community registrations the caller may decide on: counts, overdue after 3×24 hours, the oldest first',
        response: { 200: PendingApprovals },
        ...session,
      },
    },
    async (req) => pendingApprovals(ctx, requireActor(req.actor)),
  );

  app.get(
    '/api/public/update/:token',
    {
      schema: {
        tags: ['registry'],
        summary: 'The one member record a personal update link opens (410 once used or expired)',
        params: TokenParams,
        response: { 200: Member },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return readThroughLink(ctx, req.params.token);
    },
  );

  app.patch(
    '/api/public/update/:token',
    {
      schema: {
        tags: ['registry'],
        summary: 'Correct (or, with an empty body, confirm) the member record of a personal update link; uses the link up',
        params: TokenParams,
        body: LinkUpdateInput,
        response: { 200: MemberWithWarnings },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const { member, warnings } = await updateThroughLink(ctx, req.params.token, req.body, meta(req));
      return { member, warnings: localised(req, warnings) };
    },
  );
};

/**
 * The retention module's HTTP: the public privacy notice (`/privacy`, linked from every page's
 * footer) and a signed-in person's export of their own account data (a button on the account page,
 * and the API).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { sendPage } from '../../core/http/render.tsx';
import { MessagePage } from '../../core/views/message-page.tsx';
import { exportAccountData } from './account-export.ts';
import { privacyFacts } from './privacy.ts';
import * as schema from './schema.ts';
import { PrivacyPage } from './views/privacy-page.tsx';

/** An export reads everything about an account: a handful a minute is plenty for a person. */
const exportLimit = perAddressLimit(5, 60_000);

export async function retentionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.database.db;

  app.get('/privacy', async (req, reply) => {
    const facts = await privacyFacts(db, deps.config.retention);
    return sendPage(req, reply, { title: req.t('retention.privacy.title'), body: (view) => <PrivacyPage view={view} facts={facts} /> });
  });

  app.post('/account/export', { config: exportLimit }, async (req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await exportAccountData(db, actor, req.t);
    if (!outcome.ok) {
      return sendPage(req, reply, { status: 403, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t('errors.forbidden')} /> });
    }
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="cast-account-${outcome.value.exportedAt.slice(0, 10)}.json"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(outcome.value, null, 2));
  });

  app.get(
    '/api/v1/me/export',
    {
      config: exportLimit,
      schema: {
        operationId: 'exportAccountData',
        summary: 'Everything CAST keeps about your account, as one document (the export is audited)',
        description: 'Profile, roles, API tokens (names and prefixes), group and partner memberships, and the reports made under the account as their reporter is told of them (never their content). Needs the account:read scope.',
        tags: ['accounts'],
        response: { 200: schema.AccountExport, 401: schema.ErrorResponse, 403: schema.ErrorResponse, 429: schema.ErrorResponse },
      },
    },
    async (req, reply) => {
      const outcome = await exportAccountData(db, apiUser(req), req.t);
      if (!outcome.ok) return throwApiFailure(outcome);
      void reply.header('cache-control', 'no-store');
      return outcome.value;
    },
  );
}

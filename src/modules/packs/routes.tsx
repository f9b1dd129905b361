/** Pages of the packs module: parse, call the service, render. Public; the self-check is the only form. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { isCountryCode } from '../../core/countries.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import { isLanguage } from '../../core/i18n.ts';
import type { Failure } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { registerPacksApi } from './api-routes.ts';
import { lookForTypes } from './look-for.ts';
import * as packs from './service.ts';
import { LookForIndexPage, LookForPage, ResultPage, ScenarioListPage, ScenarioPage } from './views/awareness-pages.tsx';
import { PackListPage, PackNotFoundPage, PackPage } from './views/pack-pages.tsx';

type Query = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Params: { slug: string; type: string; scenario: string }; Querystring: Query; Body: Query }>;

const selfCheckLimit = perAddressLimit(30, 60_000);

/** One value of a query parameter; a repeated parameter counts as malformed (undefined and flagged). */
function one(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function packsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.database.db;
  const record = packs.createSelfCheckRecorder(db);

  const notFound = (req: FastifyRequest, reply: FastifyReply, failure: Failure, back: { href: string; labelKey: string }) =>
    sendPage(req, reply, {
      status: failure.reason === 'not-found' ? 404 : 422,
      title: req.t('errors.pageTitle'),
      body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(failure.reason === 'invalid' ? (Object.values(failure.errors)[0] ?? 'errors.invalidRequest') : (failure.message ?? 'errors.notFound'))} action={{ href: back.href, label: view.t(back.labelKey) }} />,
    });

  // ------------------------------------------------------------ Action Packs

  app.get('/packs', async (req: Req, reply) => {
    const audience = one(req.query.audience);
    const topic = one(req.query.topic);
    const listed = packs.listPacks({ audience, topic, language: req.lang });
    // An unknown filter: 422 naming it, with every pack still listed below the form.
    const all = listed.ok ? listed : packs.listPacks({ language: req.lang });
    const shown = all.ok ? all.value : [];
    return sendPage(req, reply, {
      status: listed.ok ? 200 : 422,
      title: req.t('packs.list.title'),
      body: (view) => <PackListPage view={view} packs={shown} audience={audience} topic={topic} {...(listed.ok || listed.reason !== 'invalid' ? {} : { errors: listed.errors })} />,
    });
  });

  app.get('/packs/:slug', async (req: Req, reply) => {
    const asked = { language: one(req.query.lang), version: one(req.query.version) };
    const found = packs.getPack(req.params.slug, asked, req.lang);
    if (!found.ok) {
      // Say which part was unknown, and offer the current version of a pack that exists.
      const current = packs.getPack(req.params.slug, { language: undefined, version: undefined }, isLanguage(asked.language) ? asked.language : req.lang);
      return sendPage(req, reply, {
        status: 404,
        title: req.t('packs.notFound.title'),
        body: (view) => <PackNotFoundPage view={view} messageKey={(found.reason !== 'invalid' && found.message) || 'packs.errors.unknownPack'} current={current.ok ? current.value : undefined} />,
      });
    }
    return sendPage(req, reply, { title: found.value.title, body: (view) => <PackPage view={view} pack={found.value} /> });
  });

  // ------------------------------------------------------------ what to look for

  app.get('/what-to-look-for', async (req: Req, reply) =>
    sendPage(req, reply, { title: req.t('packs.lookFor.indexTitle'), body: (view) => <LookForIndexPage view={view} types={lookForTypes(view.lang)} /> }),
  );

  app.get('/what-to-look-for/:type', async (req: Req, reply) => {
    const asked = one(req.query.country)?.toUpperCase();
    const country = isCountryCode(asked) ? asked : undefined;
    const page = packs.getIndicatorPage(req.params.type, req.lang, country);
    if (!page.ok) return notFound(req, reply, page, { href: '/what-to-look-for', labelKey: 'packs.lookFor.indexTitle' });
    return sendPage(req, reply, {
      title: req.t('packs.lookFor.pageTitle', { type: page.value.label }),
      body: (view) => <LookForPage view={view} page={page.value} packs={packs.packsAbout(req.params.type, view.lang)} />,
    });
  });

  // ------------------------------------------------------------ Would you know?

  app.get('/self-check', async (req: Req, reply) =>
    sendPage(req, reply, { title: req.t('packs.selfCheck.title'), body: (view) => <ScenarioListPage view={view} scenarios={packs.scenarioList(view.lang)} /> }),
  );

  app.get('/self-check/:scenario', async (req: Req, reply) => {
    const scenario = packs.getScenario(req.params.scenario, req.lang);
    if (!scenario.ok) return notFound(req, reply, scenario, { href: '/self-check', labelKey: 'packs.selfCheck.title' });
    return sendPage(req, reply, { title: scenario.value.title, body: (view) => <ScenarioPage view={view} id={scenario.value.id} scenario={scenario.value} /> });
  });

  app.post('/self-check/:scenario', { config: selfCheckLimit }, async (req: Req, reply) => {
    const scenario = packs.getScenario(req.params.scenario, req.lang);
    if (!scenario.ok) return notFound(req, reply, scenario, { href: '/self-check', labelKey: 'packs.selfCheck.title' });
    const body = req.body ?? {};
    // Only the ticks (and the CSRF token) belong in this form: anything else means it was tampered with.
    const extra = Object.keys(body).some((key) => key !== '_csrf' && key !== 'picked');
    const outcome = extra ? ({ ok: false, reason: 'invalid', errors: { picked: 'packs.errors.tampered' } } as const) : await packs.submitSelfCheck(record, req.params.scenario, body.picked, req.lang);
    if (!outcome.ok) {
      return sendPage(req, reply, {
        status: 422,
        title: scenario.value.title,
        body: (view) => <ScenarioPage view={view} id={scenario.value.id} scenario={scenario.value} errors={outcome.reason === 'invalid' ? outcome.errors : { picked: 'packs.errors.tampered' }} />,
      });
    }
    const query = new URLSearchParams(outcome.value.options.filter((o) => o.picked).map((o) => ['picked', o.id]));
    return redirect(reply, `/self-check/${req.params.scenario}/result${query.size > 0 ? `?${query}` : ''}`);
  });

  // The result is worked out again from the ticks in the address: nothing about them was kept.
  app.get('/self-check/:scenario/result', async (req: Req, reply) => {
    const result = packs.selfCheckResult(req.params.scenario, req.query.picked, req.lang);
    if (!result.ok) return notFound(req, reply, result, { href: `/self-check`, labelKey: 'packs.selfCheck.title' });
    const totals = await packs.selfCheckTotals(db, req.params.scenario);
    return sendPage(req, reply, {
      title: req.t('packs.selfCheck.resultTitle', { title: result.value.title }),
      body: (view) => <ResultPage view={view} result={result.value} checks={totals.ok ? totals.value.checks : 0} />,
    });
  });

  registerPacksApi(app, deps, record);
}

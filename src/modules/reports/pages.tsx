/**
 * The reporter's pages: the report form, the receipt, following up with a receipt code, and one's
 * own reports. Every one works without JavaScript.
 *
 * As in api-routes.ts, no request line is logged for these routes (logLevel 'warn'): a log line
 * records a moment, and a moment can point at the person who reported. The receipt is rendered in
 * the answer to the POST itself (no redirect to a page that could be reloaded, cached or found in
 * the history) and, like every page, with Cache-Control: no-store.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserActor } from '../../core/auth/actor.ts';
import type { Config } from '../../core/config.ts';
import { countryName, isCountryCode } from '../../core/countries.ts';
import { pageUser } from '../../core/http/guards.ts';
import { sendPage } from '../../core/http/render.tsx';
import type { FieldErrors } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { emergencyNumber, localisedTaxonomy } from '../indicators/index.ts';
import { RECEIPT_LIMIT, SUBMIT_LIMIT } from './api-routes.ts';
import { EMPTY_REPORT_FORM, formErrors, identifierRows, receiptOf, reportFormValues, toAddition, toReportInput, type PostedForm, type ReportFormValues } from './form-input.ts';
import { addToReportByReceipt, getReportByReceipt, listMyReports, submitReport, type ReportsDeps } from './submission.ts';
import { FollowUpLookupPage, FollowUpStatusPage } from './views/reporting/follow-up-pages.tsx';
import { MyReportsPage } from './views/reporting/my-reports-page.tsx';
import { ReceiptPage } from './views/reporting/receipt-page.tsx';
import { ReportFormPage } from './views/reporting/report-form-page.tsx';
import type { EmergencyContact } from './views/reporting/safety.tsx';

type Posted = FastifyRequest<{ Body: PostedForm | undefined }>;

/** Empty rows drawn for identifiers, and how many more "add more rows" gives. */
const IDENTIFIER_ROWS = 3;
/** Empty rows drawn for names heard or seen. */
const NAME_ROWS = 2;

/** Only someone fully signed in reports under their account; anyone else reports anonymously. */
const signedIn = (req: FastifyRequest): UserActor | undefined => (req.actor.kind === 'user' && req.actor.stage === 'full' ? req.actor : undefined);

/** The first country named as a region in Accept-Language ("fr-CI" → CI), if any. */
export function countryFromAcceptLanguage(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const region = part.trim().split(';')[0]?.split('-')[1]?.toUpperCase();
    if (isCountryCode(region)) return region;
  }
  return undefined;
}

/** The number for the country chosen on the form, else the one the browser suggests, else 112. */
function emergencyFor(req: FastifyRequest, chosen: string | undefined): EmergencyContact {
  const code = isCountryCode(chosen) ? chosen : countryFromAcceptLanguage(req.headers['accept-language']);
  return { number: emergencyNumber(code), countryName: code ? countryName(code, req.lang) : undefined };
}

export function reportPages(app: FastifyInstance, service: ReportsDeps, config: Config): void {
  const quiet = { logLevel: 'warn' as const };
  const quickExitUrl = config.quickExitUrl;

  function formPage(req: FastifyRequest, reply: FastifyReply, options: { values: ReportFormValues; errors?: FieldErrors; status?: number; extraRows?: boolean }) {
    const { values, errors } = options;
    const extra = options.extraRows ? 1 : 0;
    return sendPage(req, reply, {
      status: options.status ?? 200,
      title: req.t('reports.form.title'),
      body: (view) => (
        <ReportFormPage
          view={view}
          taxonomy={localisedTaxonomy(view.lang)}
          values={values}
          errors={errors}
          identifierRows={Math.max(IDENTIFIER_ROWS, values.identifiers.length + (extra ? IDENTIFIER_ROWS : 1))}
          nameRows={Math.max(NAME_ROWS, values.names.length + (extra ? NAME_ROWS : 1))}
          routeRows={1 + extra}
          quickExitUrl={quickExitUrl}
          emergency={emergencyFor(req, values.country)}
        />
      ),
    });
  }

  app.get('/report', quiet, (req, reply) => formPage(req, reply, { values: EMPTY_REPORT_FORM }));

  app.post('/report', { ...quiet, config: SUBMIT_LIMIT }, async (req: Posted, reply) => {
    const body = req.body ?? {};
    const values = reportFormValues(body);
    // "Add more rows" without JavaScript: the same form, everything kept, more empty rows; nothing sent.
    if (body.more !== undefined) return formPage(req, reply, { values, extraRows: true });
    const outcome = await submitReport(service, signedIn(req), toReportInput(values));
    if (outcome.ok) {
      return sendPage(req, reply, { title: req.t('reports.receipt.title'), body: (view) => <ReceiptPage view={view} receipt={outcome.value} quickExitUrl={quickExitUrl} /> });
    }
    if (outcome.reason === 'invalid') return formPage(req, reply, { values, errors: formErrors(outcome.errors), status: 422 });
    return sendPage(req, reply, { status: 403, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t('errors.forbidden')} /> });
  });

  const lookupPage = (req: FastifyRequest, reply: FastifyReply, status: number, receipt?: string, errors?: FieldErrors) =>
    sendPage(req, reply, {
      status,
      title: req.t('reports.followUp.title'),
      body: (view) => <FollowUpLookupPage view={view} quickExitUrl={quickExitUrl} receipt={receipt} errors={errors} />,
    });

  app.get('/report/follow-up', quiet, (req, reply) => lookupPage(req, reply, 200));

  app.post('/report/follow-up', { ...quiet, config: RECEIPT_LIMIT }, async (req: Posted, reply) => {
    const receipt = receiptOf(req.body);
    const outcome = await getReportByReceipt(service, receipt);
    if (!outcome.ok) {
      // The malformed code is shown again to be corrected; an unknown one is not kept on the page.
      if (outcome.reason === 'invalid') return lookupPage(req, reply, 422, receipt, outcome.errors);
      return lookupPage(req, reply, 404, undefined, { receipt: outcome.reason === 'not-found' && outcome.message ? outcome.message : 'reports.errors.receiptUnknown' });
    }
    return sendPage(req, reply, {
      title: req.t('reports.followUp.statusTitle'),
      body: (view) => <FollowUpStatusPage view={view} quickExitUrl={quickExitUrl} receipt={receipt} report={outcome.value} identifierRows={IDENTIFIER_ROWS} />,
    });
  });

  app.post('/report/follow-up/add', { ...quiet, config: RECEIPT_LIMIT }, async (req: Posted, reply) => {
    const body = req.body ?? {};
    const receipt = receiptOf(body);
    const addition = toAddition(body);
    const rows = identifierRows(body);
    const kept = { account: typeof body.account === 'string' ? body.account : '', identifiers: rows };
    const statusPage = async (options: { added?: boolean; errors?: FieldErrors; status?: number; more?: boolean }) => {
      const found = await getReportByReceipt(service, receipt);
      if (!found.ok) return lookupPage(req, reply, found.reason === 'invalid' ? 422 : 404, undefined, found.reason === 'invalid' ? found.errors : { receipt: 'reports.errors.receiptUnknown' });
      const count = Math.max(IDENTIFIER_ROWS, rows.length + (options.more ? IDENTIFIER_ROWS : 1));
      return sendPage(req, reply, {
        status: options.status ?? 200,
        title: req.t('reports.followUp.statusTitle'),
        body: (view) => (
          <FollowUpStatusPage
            view={view}
            quickExitUrl={quickExitUrl}
            receipt={receipt}
            report={found.value}
            added={options.added}
            errors={options.errors}
            {...(options.added ? { identifierRows: IDENTIFIER_ROWS } : { ...kept, identifierRows: count })}
          />
        ),
      });
    };
    if (body.more !== undefined) return statusPage({ more: true });
    const outcome = await addToReportByReceipt(service, receipt, addition);
    if (outcome.ok) return statusPage({ added: true });
    if (outcome.reason === 'invalid' && !outcome.errors.receipt) return statusPage({ errors: outcome.errors, status: 422 });
    return lookupPage(req, reply, outcome.reason === 'invalid' ? 422 : 404, undefined, outcome.reason === 'invalid' ? outcome.errors : { receipt: 'reports.errors.receiptUnknown' });
  });

  app.get('/my/reports', quiet, async (req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await listMyReports(service, actor);
    if (!outcome.ok) return sendPage(req, reply, { status: 403, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t('errors.forbidden')} /> });
    return sendPage(req, reply, { title: req.t('reports.mine.title'), body: (view) => <MyReportsPage view={view} reports={outcome.value} /> });
  });
}

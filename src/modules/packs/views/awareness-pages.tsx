/** "What to look for" pages and the "Would you know?" self-check: all work without JavaScript. */
import { countryList } from '../../../core/countries.ts';
import { CsrfField, ErrorSummary } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import type { IndicatorPage } from '../look-for.ts';
import type { ScenarioText } from '../scenarios.ts';
import type { SelfCheckResult } from '../self-check.ts';
import type { PackSummary } from '../service.ts';
import { LookForSection, PackCards, PacksStyle } from './pack-pages.tsx';

export function LookForIndexPage({ view, types }: { view: ViewContext; types: { id: string; label: string; description: string }[] }) {
  const t = view.t;
  return (
    <>
      <PacksStyle />
      <h1>{t('packs.lookFor.indexTitle')}</h1>
      <p class="lead">{t('packs.lookFor.indexLead')}</p>
      <ul class="pack-cards">
        {types.map((type) => (
          <li key={type.id}>
            <h2>
              <a href={`/what-to-look-for/${type.id}`}>{type.label}</a>
            </h2>
            <p>{type.description}</p>
          </li>
        ))}
      </ul>
      <p>
        <a href="/self-check">{t('packs.selfCheck.title')}</a>
      </p>
    </>
  );
}

export function LookForPage({ view, page, packs }: { view: ViewContext; page: IndicatorPage; packs: PackSummary[] }) {
  const t = view.t;
  return (
    <>
      <PacksStyle />
      <h1>{t('packs.lookFor.pageTitle', { type: page.label })}</h1>
      <p class="lead">{page.description}</p>
      <p class="actions">
        <a class="button" href={page.actions.report}>
          {t('packs.lookFor.report')}
        </a>
        <a href="#emergency">{t('packs.lookFor.emergencyTitle')}</a>
      </p>
      <LookForSection t={t} lookFor={page} headingId="signs" />
      <section class="emergency" aria-labelledby="emergency">
        <h2 id="emergency">{t('packs.lookFor.emergencyTitle')}</h2>
        <p class="advice">{page.emergency.advice}</p>
        <p>{t('packs.lookFor.emergencyDo')}</p>
        <form method="get" action={`/what-to-look-for/${page.type}#emergency`} class="inline-fields">
          <div class="field">
            <label for="field-country">{t('packs.lookFor.country')}</label>
            <select id="field-country" name="country">
              <option value="">{t('packs.lookFor.countryUnknown')}</option>
              {countryList(view.lang).map((c) => (
                <option key={c.code} value={c.code} selected={c.code === page.emergency.country}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            {t('packs.lookFor.showNumber')}
          </button>
        </form>
      </section>
      <section aria-labelledby="report-title">
        <h2 id="report-title">{t('packs.lookFor.reportTitle')}</h2>
        <p>{t('packs.lookFor.reportText')}</p>
        <p>
          <a class="button" href={page.actions.report}>
            {t('packs.lookFor.report')}
          </a>
        </p>
      </section>
      {packs.length > 0 && (
        <section aria-labelledby="packs-title">
          <h2 id="packs-title">{t('packs.lookFor.packsTitle')}</h2>
          <PackCards packs={packs} headingLevel={3} />
        </section>
      )}
      <p>
        <a href="/what-to-look-for">{t('packs.lookFor.indexTitle')}</a> · <a href="/self-check">{t('packs.selfCheck.title')}</a>
      </p>
    </>
  );
}

export function ScenarioListPage({ view, scenarios }: { view: ViewContext; scenarios: { id: string; title: string }[] }) {
  const t = view.t;
  return (
    <>
      <PacksStyle />
      <h1>{t('packs.selfCheck.title')}</h1>
      <p class="lead">{t('packs.selfCheck.lead')}</p>
      <p>{t('packs.selfCheck.privacy')}</p>
      <ul>
        {scenarios.map((s) => (
          <li key={s.id}>
            <a href={`/self-check/${s.id}`}>{s.title}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ScenarioPage({ view, id, scenario, picked = [], errors }: { view: ViewContext; id: string; scenario: ScenarioText; picked?: readonly string[]; errors?: FieldErrors | undefined }) {
  const t = view.t;
  const error = errors?.picked;
  return (
    <>
      <PacksStyle />
      <p>
        <a href="/self-check">{t('packs.selfCheck.title')}</a>
      </p>
      <h1>{scenario.title}</h1>
      <ErrorSummary view={view} errors={errors} />
      <div dangerouslySetInnerHTML={{ __html: scenario.storyHtml }} />
      <form method="post" action={`/self-check/${id}`} novalidate>
        <CsrfField view={view} />
        <fieldset id="field-picked" class={error ? 'field field-error self-check-options' : 'field self-check-options'} aria-describedby={error ? 'field-picked-error' : 'field-picked-hint'}>
          <legend>{t('packs.selfCheck.legend')}</legend>
          <p class="hint" id="field-picked-hint">
            {t('packs.selfCheck.hint')}
          </p>
          {error && (
            <p class="error" id="field-picked-error">
              {t(error)}
            </p>
          )}
          {scenario.options.map((option) => (
            <div class="checkbox" key={option.id}>
              <input type="checkbox" id={`option-${option.id}`} name="picked" value={option.id} checked={picked.includes(option.id)} />
              <label for={`option-${option.id}`}>{option.text}</label>
            </div>
          ))}
        </fieldset>
        <p class="hint">{t('packs.selfCheck.privacy')}</p>
        <button type="submit" class="button">
          {t('packs.selfCheck.submit')}
        </button>
      </form>
    </>
  );
}

export function ResultPage({ view, result, checks }: { view: ViewContext; result: SelfCheckResult; checks: number }) {
  const t = view.t;
  return (
    <>
      <PacksStyle />
      <h1>{t('packs.selfCheck.resultTitle', { title: result.title })}</h1>
      <p class="score" role="status">
        {t('packs.selfCheck.score', { noticed: result.noticed, signs: result.signs })}
      </p>
      {result.notSignsPicked > 0 && <p>{t('packs.selfCheck.notSignsPicked', { count: result.notSignsPicked })}</p>}
      <ul class="result-list">
        {result.options.map((option) => (
          <li key={option.id} class={option.sign ? 'sign' : 'not-sign'}>
            <p>
              <span class="verdict">{t(option.sign ? 'packs.selfCheck.isSign' : 'packs.selfCheck.notSign')}</span> · {t(option.picked ? 'packs.selfCheck.youTicked' : 'packs.selfCheck.youDidNotTick')}
            </p>
            <p>
              <strong>{option.text}</strong>
            </p>
            {option.indicator ? (
              <p>
                {option.indicator.label}: {option.indicator.hint}
              </p>
            ) : (
              <p>{option.why}</p>
            )}
          </li>
        ))}
      </ul>
      <section aria-labelledby="what-to-do">
        <h2 id="what-to-do">{t('packs.selfCheck.whatToDo')}</h2>
        <div dangerouslySetInnerHTML={{ __html: result.whatToDoHtml }} />
      </section>
      <p class="actions">
        <a class="button" href="/report">
          {t('packs.lookFor.report')}
        </a>
        <a href={`/what-to-look-for/${result.lookForType}`}>{t('packs.selfCheck.allSigns')}</a>
        <a href="/self-check">{t('packs.selfCheck.another')}</a>
      </p>
      <p class="hint">{t('packs.selfCheck.checks', { count: checks })}</p>
    </>
  );
}

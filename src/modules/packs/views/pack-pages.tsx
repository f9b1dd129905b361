/** Pages of the Action Packs: the list with its filters, one pack, and the helpful 404. */
import { renderToString } from 'preact-render-to-string';
import { assetUrl, hasAsset } from '../../../core/http/assets.ts';
import { LANGUAGES, translator, type Language, type Translate } from '../../../core/i18n.ts';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { AUDIENCES, TOPICS } from '../content.ts';
import type { LookFor } from '../look-for.ts';
import type { PackSummary, PackView } from '../service.ts';

/** The module's stylesheet (screen and print), from a content-hashed URL. */
export function PacksStyle() {
  return hasAsset('packs.css') ? <link rel="stylesheet" href={assetUrl('packs.css')} /> : null;
}

export const pagePath = (slug: string, language: Language, version: number) => `/packs/${slug}?lang=${language}&version=${version}`;
export const pdfPath = (slug: string, language: Language, version: number) => `/api/v1/packs/${slug}/pdf?lang=${language}&version=${version}`;

/** Written with `t` of the pack's language: a French pack reads in French even in an English page. */
export function MetaLine({ t, pack }: { t: Translate; pack: PackSummary }) {
  return (
    <p class="pack-meta">
      {t('packs.meta.line', { version: pack.version, updated: pack.updated, audiences: pack.audiences.map((a) => t(`packs.audiences.${a}`)).join(', '), topic: t(`packs.topics.${pack.topic}`) })}
    </p>
  );
}

export function PackCards({ packs, headingLevel = 2 }: { packs: PackSummary[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="pack-cards">
      {packs.map((pack) => (
        <li key={pack.slug} lang={pack.language}>
          <Heading>
            <a href={pagePath(pack.slug, pack.language, pack.version)}>{pack.title}</a>
          </Heading>
          <MetaLine t={translator(pack.language)} pack={pack} />
          <p>{pack.summary}</p>
        </li>
      ))}
    </ul>
  );
}

export function PackListPage({ view, packs, audience, topic, errors }: { view: ViewContext; packs: PackSummary[]; audience: string | undefined; topic: string | undefined; errors?: Record<string, string> }) {
  const t = view.t;
  const choice = (name: 'audience' | 'topic', values: readonly string[], chosen: string | undefined, prefix: string) => (
    <div class="field">
      <label for={`field-${name}`}>{t(`packs.list.${name}`)}</label>
      {errors?.[name] && (
        <p class="error" id={`field-${name}-error`}>
          {t(errors[name])}
        </p>
      )}
      <select id={`field-${name}`} name={name} aria-invalid={errors?.[name] ? 'true' : undefined} aria-describedby={errors?.[name] ? `field-${name}-error` : undefined}>
        <option value="">{t('packs.list.any')}</option>
        {values.map((value) => (
          <option key={value} value={value} selected={value === chosen}>
            {t(`${prefix}.${value}`)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <PacksStyle />
      <h1>{t('packs.list.title')}</h1>
      <p class="lead">{t('packs.list.lead')}</p>
      <form method="get" action="/packs" class="pack-filters">
        {choice('audience', AUDIENCES, audience, 'packs.audiences')}
        {choice('topic', TOPICS, topic, 'packs.topics')}
        <p>
          <button type="submit" class="button">
            {t('packs.list.filter')}
          </button>
        </p>
      </form>
      {packs.length === 0 ? <p>{t('packs.list.empty')}</p> : <PackCards packs={packs} />}
      <h2>{t('packs.list.moreTitle')}</h2>
      <ul>
        <li>
          <a href="/what-to-look-for">{t('packs.lookFor.indexTitle')}</a>
        </li>
        <li>
          <a href="/self-check">{t('packs.selfCheck.title')}</a>
        </li>
      </ul>
    </>
  );
}

export function LookForSection({ t, lookFor, headingId = 'what-to-look-for', level = 2 }: { t: Translate; lookFor: LookFor; headingId?: string; level?: 2 | 3 }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const Sub = level === 2 ? 'h3' : 'h4';
  return (
    <section class="look-for" aria-labelledby={headingId}>
      <Heading id={headingId}>{t('packs.sections.lookFor')}</Heading>
      <div class="cautions">
        {lookFor.cautions.map((caution) => (
          <p key={caution}>
            <strong>{caution}</strong>
          </p>
        ))}
      </div>
      {lookFor.groups.map((group) => (
        <div key={group.category}>
          <Sub>{group.label}</Sub>
          <ul>
            {group.indicators.map((indicator) => (
              <li key={indicator.id} data-indicator={indicator.id}>
                <strong>{indicator.label}.</strong> {indicator.hint}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/**
 * The pack itself, in the pack's language. It depends only on the pack (slug, language, version)
 * and the taxonomy's version, never on the reader, so it is drawn once per process and kept.
 */
const articles = new Map<string, string>();

function articleHtml(pack: PackView): string {
  const key = `${pack.slug}|${pack.language}|${pack.version}|${pack.lookFor.taxonomyVersion}`;
  let html = articles.get(key);
  if (html === undefined) {
    html = renderToString(<PackArticle pack={pack} />);
    articles.set(key, html);
  }
  return html;
}

export function PackPage({ view, pack }: { view: ViewContext; pack: PackView }) {
  return (
    <>
      <PacksStyle />
      <div dangerouslySetInnerHTML={{ __html: articleHtml(pack) }} />
      <p class="no-print">
        <a href="/packs">{view.t('packs.notFound.all')}</a>
      </p>
    </>
  );
}

function PackArticle({ pack }: { pack: PackView }) {
  // Inside the article everything is in the pack's language; around it, in the reader's.
  const t = translator(pack.language);
  const text = pack.text;
  const languageName = (language: Language) => t(`packs.languageNames.${language}`, { lng: language });
  return (
      <article lang={pack.language} class="pack">
        <h1>{pack.title}</h1>
        <MetaLine t={t} pack={pack} />
        <p class="lead">{pack.summary}</p>
        <div class="pack-actions actions">
          <a class="button" href={pdfPath(pack.slug, pack.language, pack.version)} type="application/pdf" download>
            {t('packs.page.downloadPdf')}
          </a>
          {LANGUAGES.filter((l) => l !== pack.language && pack.languages.includes(l)).map((other) => (
            <a key={other} href={pagePath(pack.slug, other, pack.version)} hreflang={other} lang={other}>
              {t('packs.page.readIn', { language: languageName(other), lng: other })}
            </a>
          ))}
          <span class="hint">{t('packs.page.printHint')}</span>
        </div>
        <nav class="pack-toc" aria-labelledby="pack-contents">
          <h2 id="pack-contents">{t('packs.page.contents')}</h2>
          <ol>
            <li>
              <a href="#activities">{t('packs.sections.activities')}</a>
            </li>
            <li>
              <a href="#what-to-look-for">{t('packs.sections.lookFor')}</a>
            </li>
            {text.headings
              .filter((h) => h.level === 2)
              .map((h) => (
                <li key={h.id}>
                  <a href={`#${h.id}`}>{h.text}</a>
                </li>
              ))}
          </ol>
        </nav>
        <section aria-labelledby="activities">
          <h2 id="activities">{t('packs.sections.activities')}</h2>
          {text.activities.map((activity) => (
            <div class="activity" key={activity.title}>
              <h3>{activity.title}</h3>
              <dl>
                <dt>{t('packs.activity.time')}</dt>
                <dd>{activity.time}</dd>
                <dt>{t('packs.activity.materials')}</dt>
                <dd>{activity.materials}</dd>
                {activity.ages && (
                  <>
                    <dt>{t('packs.activity.ages')}</dt>
                    <dd>{activity.ages}</dd>
                  </>
                )}
              </dl>
              <p>{activity.description}</p>
            </div>
          ))}
        </section>
        <LookForSection t={t} lookFor={pack.lookFor} />
        {/* The editors' Markdown, rendered with raw HTML switched off (see markdown.ts). */}
        <div class="pack-body" dangerouslySetInnerHTML={{ __html: text.html }} />
      </article>
  );
}

/** The 404 for an unknown pack, language or version: says which, and offers the way on. */
export function PackNotFoundPage({ view, messageKey, current }: { view: ViewContext; messageKey: string; current: PackSummary | undefined }) {
  const t = view.t;
  return (
    <section class="narrow">
      <h1>{t('packs.notFound.title')}</h1>
      <p>{t(messageKey)}</p>
      <ul>
        {current &&
          current.languages.map((language) => (
            <li key={language}>
              <a href={pagePath(current.slug, language, current.version)} hreflang={language} lang={language}>
                {current.language === language ? current.title : t('packs.page.readIn', { language: t(`packs.languageNames.${language}`, { lng: language }), lng: language })}
              </a>
            </li>
          ))}
        <li>
          <a href="/packs">{t('packs.notFound.all')}</a>
        </li>
      </ul>
    </section>
  );
}

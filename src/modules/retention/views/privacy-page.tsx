/** The privacy notice: what CAST keeps, for how long (the configured periods), and people's rights. */
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { PrivacyFacts } from '../privacy.ts';

const SECTIONS = ['reports', 'anonymous', 'receipt', 'retention', 'accounts', 'declaration', 'newsletter', 'chocolate', 'events', 'donations', 'audit'] as const;

export function PrivacyPage({ view, facts }: { view: ViewContext; facts: PrivacyFacts }) {
  return (
    <>
      <h1>{view.t('retention.privacy.heading')}</h1>
      <p class="lead">{view.t('retention.privacy.lead')}</p>
      {SECTIONS.map((section) => (
        <section key={section} aria-labelledby={`privacy-${section}`}>
          <h2 id={`privacy-${section}`}>{view.t(`retention.privacy.${section}.title`)}</h2>
          <p>{view.t(`retention.privacy.${section}.text`, { ...facts })}</p>
          {section === 'accounts' && (
            <p>
              <a href="/account">{view.t('retention.privacy.accounts.link')}</a>
            </p>
          )}
          {section === 'newsletter' && (
            <p>
              <a href="/newsletter/manage">{view.t('retention.privacy.newsletter.link')}</a>
            </p>
          )}
        </section>
      ))}
    </>
  );
}

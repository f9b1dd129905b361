import type { ComponentChildren } from 'preact';
import { LANGUAGES } from '../i18n.ts';
import type { ViewContext } from './view-context.ts';

interface LayoutProps {
  view: ViewContext;
  title: string;
  children: ComponentChildren;
}

function SignOutForm({ view }: { view: ViewContext }) {
  return (
    <form method="post" action="/signout" class="inline-form">
      <input type="hidden" name="_csrf" value={view.csrfToken} />
      <button type="submit" class="link-button">
        {view.t('nav.signOut')}
      </button>
    </form>
  );
}

function LanguageSwitcher({ view }: { view: ViewContext }) {
  return (
    <nav aria-label={view.t('nav.language')} class="languages">
      <ul>
        {LANGUAGES.map((lang) => (
          <li key={lang}>
            {lang === view.lang ? (
              <span aria-current="true" lang={lang}>
                {view.t(`languages.${lang}`)}
              </span>
            ) : (
              <a href={`/language/${lang}?next=${encodeURIComponent(view.path)}`} lang={lang} hreflang={lang}>
                {view.t(`languages.${lang}`, { lng: lang })}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout({ view, title, children }: LayoutProps) {
  const { t, actor } = view;
  const signedIn = actor.kind === 'user' && actor.stage === 'full';
  return (
    <html lang={view.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · CAST`}</title>
        {/* No icon file yet: an empty one stops every browser asking for /favicon.ico (a 404 and a console error on each page). */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/static/cast.css" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <meta name="theme-color" content="#8a1538" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('nav.skipToContent')}
        </a>
        <header class="site-header">
          <a href="/" class="brand">
            CAST
          </a>
          <nav aria-label={t('nav.main')}>
            <ul>
              <li>
                <a href="/">{t('nav.home')}</a>
              </li>
              <li>
                <a href="/groups">{t('groups.nav')}</a>
              </li>
              <li>
                <a href="/map">{t('map.nav')}</a>
              </li>
              <li>
                <a href="/declarations">{t('declaration.nav')}</a>
              </li>
              <li>
                <a href="/chocolate">{t('nav.chocolate')}</a>
              </li>
              <li>
                <a href="/packs">{t('packs.nav')}</a>
              </li>
              <li>
                <a href="/events">{t('events.nav')}</a>
              </li>
              <li>
                <a href="/donate">{t('donations.nav')}</a>
              </li>
              <li>
                <a href="/report">{t('reports.form.nav')}</a>
              </li>
              {signedIn ? (
                <>
                  <li>
                    <a href="/partnerships">{t('partners.nav')}</a>
                  </li>
                  <li>
                    <a href="/disclosures">{t('sharing.nav')}</a>
                  </li>
                  <li>
                    <a href="/my/reports">{t('reports.mine.title')}</a>
                  </li>
                  <li>
                    <a href="/account">{t('nav.account')}</a>
                  </li>
                  <li>
                    <SignOutForm view={view} />
                  </li>
                </>
              ) : actor.kind === 'user' ? (
                // Half-way through signing in (the code step, or a required two-factor set-up): a way out, not a second sign-in.
                <li>
                  <SignOutForm view={view} />
                </li>
              ) : (
                <>
                  <li>
                    <a href="/signin">{t('nav.signIn')}</a>
                  </li>
                  <li>
                    <a href="/signup">{t('nav.signUp')}</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <LanguageSwitcher view={view} />
          <p>{t('footer.emergency')}</p>
          <p>
            <a href="/privacy">{t('footer.privacy')}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

/**
 * The home page: CAST's two campaigns and what a visitor can do now, each one click away. An action
 * is shown only when its page is part of this build (asked of the router once the app is ready),
 * so the home page never links to a page that does not exist while campaign modules are added.
 */
import type { FastifyInstance } from 'fastify';
import { assetUrl, hasAsset } from '../../core/http/assets.ts';
import { sendPage } from '../../core/http/render.tsx';

interface Action {
  href: string;
  key: string;
  /** The route that must exist for the link to be shown (the href without its query). */
  route: string;
}

/** In the order a visitor is most likely to need them; reporting first. */
const ACTIONS: Action[] = [
  { href: '/report', key: 'home.act.report', route: '/report' },
  { href: '/groups', key: 'home.act.group', route: '/groups' },
  { href: '/declarations', key: 'home.act.declaration', route: '/declarations' },
  { href: '/chocolate/action', key: 'home.act.chocolateMail', route: '/chocolate/action' },
  { href: '/newsletter', key: 'home.act.subscribe', route: '/newsletter' },
  { href: '/donate', key: 'home.act.donate', route: '/donate' },
  { href: '/events', key: 'home.act.events', route: '/events' },
  { href: '/what-to-look-for', key: 'home.act.learn', route: '/what-to-look-for' },
];

const CAMPAIGN_LINKS = {
  sex: [
    { href: '/what-to-look-for/sexual', key: 'home.campaigns.sex.lookFor', route: '/what-to-look-for/:type' },
    { href: '/packs?topic=sex-trafficking', key: 'home.campaigns.packs', route: '/packs' },
    { href: '/self-check', key: 'home.campaigns.sex.selfCheck', route: '/self-check' },
  ],
  chocolate: [
    { href: '/chocolate', key: 'home.campaigns.chocolate.scorecard', route: '/chocolate' },
    { href: '/chocolate/guide', key: 'home.campaigns.chocolate.guide', route: '/chocolate/guide' },
    { href: '/packs?topic=chocolate', key: 'home.campaigns.packs', route: '/packs' },
  ],
};

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  let actions: Action[] = [];
  let campaignLinks: { sex: Action[]; chocolate: Action[] } = { sex: [], chocolate: [] };
  app.addHook('onReady', async () => {
    const exists = (action: Action) => app.hasRoute({ method: 'GET', url: action.route });
    actions = ACTIONS.filter(exists);
    campaignLinks = { sex: CAMPAIGN_LINKS.sex.filter(exists), chocolate: CAMPAIGN_LINKS.chocolate.filter(exists) };
  });

  app.get('/', async (req, reply) =>
    sendPage(req, reply, {
      title: req.t('home.title'),
      body: (view) => (
        <>
          {hasAsset('home.css') && <link rel="stylesheet" href={assetUrl('home.css')} />}
          <section class="hero">
            <h1>{view.t('home.heading')}</h1>
            <p class="lead">{view.t('home.lead')}</p>
          </section>
          <section aria-labelledby="act-title">
            <h2 id="act-title">{view.t('home.act.title')}</h2>
            <ul class="home-actions">
              {actions.map((action, index) => (
                <li key={action.href}>
                  <a class={index === 0 ? 'button home-action primary' : 'button home-action'} href={action.href}>
                    {view.t(action.key)}
                  </a>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="campaigns-title">
            <h2 id="campaigns-title">{view.t('home.campaigns.title')}</h2>
            <div class="home-campaigns">
              {(['sex', 'chocolate'] as const).map((campaign) => (
                <article key={campaign} class="home-campaign" aria-labelledby={`campaign-${campaign}`}>
                  <h3 id={`campaign-${campaign}`}>{view.t(`home.campaigns.${campaign}.title`)}</h3>
                  <p>{view.t(`home.campaigns.${campaign}.text`)}</p>
                  <ul>
                    {campaignLinks[campaign].map((link) => (
                      <li key={link.href}>
                        <a href={link.href}>{view.t(link.key)}</a>
                      </li>
                    ))}
                  </ul>
                </article>
              ))}
            </div>
          </section>
          <section>
            <h2>{view.t('home.howTitle')}</h2>
            <ul class="steps">
              <li>{view.t('home.howLearn')}</li>
              <li>{view.t('home.howJoin')}</li>
              <li>{view.t('home.howReport')}</li>
              <li>{view.t('home.howShare')}</li>
            </ul>
          </section>
          <section class="safety" aria-labelledby="safety-title">
            <h2 id="safety-title">{view.t('home.safetyTitle')}</h2>
            <p>{view.t('home.safetyObserve')}</p>
            <p>{view.t('home.safetyEmergency')}</p>
          </section>
          {view.actor.kind === 'anonymous' && (
            <p class="actions">
              <a class="button" href="/signup">
                {view.t('nav.signUp')}
              </a>
              <a href="/signin">{view.t('nav.signIn')}</a>
            </p>
          )}
        </>
      ),
    }),
  );
}

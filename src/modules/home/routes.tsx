/** The home page: what CAST is for, and what to do in an emergency. */
import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../core/http/render.tsx';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (req, reply) =>
    sendPage(req, reply, {
      title: req.t('home.title'),
      body: (view) => (
        <>
          <section class="hero">
            <h1>{view.t('home.heading')}</h1>
            <p class="lead">{view.t('home.lead')}</p>
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
          <p class="actions">
            <a class="button" href="/report">
              {view.t('reports.form.nav')}
            </a>
          </p>
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

/** After signing: the same page whoever signed, new or not; the e-mail says the rest. */
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { DeclarationView } from '../service.ts';

export function CheckEmailPage({ view, declaration }: { view: ViewContext; declaration: DeclarationView }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('declaration.checkEmail.title')}</h1>
      <p role="status">{t('declaration.checkEmail.body', { title: declaration.title })}</p>
      <p>{t('declaration.checkEmail.notArrived')}</p>
      <p>
        <a href={`/declarations/${declaration.slug}`}>{t('declaration.counts.back')}</a>
      </p>
    </section>
  );
}

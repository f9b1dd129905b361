/** /disclosures: what the caller sent (their groups' disclosures), what their organisation received, and each group's approval rule. */
import { CsrfField, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { DisclosureSummary } from '../service.ts';

export interface DisclosuresPageProps {
  view: ViewContext;
  sent: DisclosureSummary[];
  received: DisclosureSummary[];
  /** Groups the caller coordinates, with their rule on second approval. */
  groups: { groupId: string; groupName: string; secondApproval: boolean }[];
  canBuild: boolean;
  notice?: string | undefined;
}

export function DisclosureTable({ view, items, caption }: { view: ViewContext; items: DisclosureSummary[]; caption: string }) {
  const { t } = view;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('sharing.fields.reference')}</th>
          <th scope="col">{t('sharing.fields.status')}</th>
          <th scope="col">{t('sharing.fields.reports')}</th>
          <th scope="col">{t('sharing.fields.handlingCodes')}</th>
          <th scope="col">{t('sharing.fields.createdAt')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id}>
            <td>
              <a href={`/disclosures/${item.id}`}>{item.reference}</a>
            </td>
            <td>{t(`sharing.statuses.${item.status}`)}</td>
            <td>{item.reportCount}</td>
            <td>{item.handlingCodes.join(', ')}</td>
            <td>{item.createdAt.slice(0, 10)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DisclosuresPage({ view, sent, received, groups, canBuild, notice }: DisclosuresPageProps) {
  const { t } = view;
  return (
    <section>
      <h1>{t('sharing.list.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <p>{t('sharing.list.intro')}</p>
      {canBuild && (
        <p>
          <a class="button" href="/disclosures/new">
            {t('sharing.list.build')}
          </a>
        </p>
      )}
      {received.length > 0 && (
        <>
          <h2>{t('sharing.list.received')}</h2>
          <DisclosureTable view={view} items={received} caption={t('sharing.list.receivedCaption')} />
        </>
      )}
      {sent.length > 0 && (
        <>
          <h2>{t('sharing.list.sent')}</h2>
          <DisclosureTable view={view} items={sent} caption={t('sharing.list.sentCaption')} />
        </>
      )}
      {received.length === 0 && sent.length === 0 && <p>{t('sharing.list.none')}</p>}
      {groups.length > 0 && (
        <>
          <h2>{t('sharing.settings.title')}</h2>
          {groups.map((group) => (
            <form method="post" action={`/groups/${group.groupId}/sharing-settings`} key={group.groupId} class="settings-form">
              <CsrfField view={view} />
              <fieldset>
                <legend>{group.groupName}</legend>
                <div class="checkbox">
                  <input type="checkbox" id={`second-approval-${group.groupId}`} name="secondApproval" value="on" checked={group.secondApproval} />
                  <label for={`second-approval-${group.groupId}`}>{t('sharing.settings.secondApproval')}</label>
                </div>
                <SubmitButton>{t('sharing.settings.save')}</SubmitButton>
              </fieldset>
              <p>
                <a href={`/groups/${group.groupId}/outcomes`}>{t('sharing.outcomes.groupLink', { group: group.groupName })}</a>
              </p>
            </form>
          ))}
        </>
      )}
    </section>
  );
}

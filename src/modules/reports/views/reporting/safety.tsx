/**
 * What every reporting page carries: a way out that leaves no trace on screen (quick exit), and the
 * safety guidance — observe, never intervene; the taxonomy's cautions; the police number for the
 * country the person is in.
 */
import { DeviceIslands } from '../../../../core/views/device-islands.tsx';
import type { ViewContext } from '../../../../core/views/view-context.ts';

/** The reporter's emergency number, and the country it is for when CAST could tell. */
export interface EmergencyContact {
  number: string;
  /** The country's name in the reader's language; undefined when the number is the general 112. */
  countryName: string | undefined;
}

/**
 * A plain link, so it works without JavaScript; the quick-exit island (web/islands/quick-exit.ts) also replaces
 * the history entry. rel="noreferrer" keeps the neutral site from learning where the person was.
 */
export function QuickExit({ view, url }: { view: ViewContext; url: string }) {
  return (
    <>
      <p class="quick-exit">
        <a class="button" href={url} data-quick-exit="" rel="noreferrer">
          {view.t('reports.safety.quickExit')}
        </a>{' '}
        <span class="hint">{view.t('reports.safety.quickExitHint')}</span>
      </p>
      {/* Every reporting page: quick exit replacing history, and reports waiting on the device sent. */}
      <DeviceIslands view={view} />
    </>
  );
}

export function EmergencyLine({ view, emergency }: { view: ViewContext; emergency: EmergencyContact }) {
  const { t } = view;
  return (
    <p>
      <strong>{t('reports.safety.emergency', { number: emergency.number })}</strong>{' '}
      {emergency.countryName ? t('reports.safety.numberFor', { country: emergency.countryName }) : t('reports.safety.numberGeneral', { number: emergency.number })}
    </p>
  );
}

export function SafetyGuidance({ view, cautions, emergency }: { view: ViewContext; cautions: readonly string[]; emergency: EmergencyContact }) {
  const { t } = view;
  return (
    <section class="safety" aria-labelledby="safety-title">
      <h2 id="safety-title">{t('reports.safety.title')}</h2>
      <p>{t('reports.safety.observe')}</p>
      <EmergencyLine view={view} emergency={emergency} />
      {cautions.map((caution) => (
        <p key={caution}>{caution}</p>
      ))}
    </section>
  );
}

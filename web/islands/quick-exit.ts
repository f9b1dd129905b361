/**
 * "Leave this site quickly" (markup: `<a data-quick-exit href="NEUTRAL">`). Without JavaScript it is
 * a plain link. With it, the jump replaces the current history entry (location.replace), so "back"
 * on the neutral site does not show CAST; and pressing Escape three times within two seconds does
 * the same from anywhere on the page, for someone who cannot reach the link in time. If the person
 * ticked "Quick exit also leaves no trace" (report-draft.ts offers it), everything CAST keeps on
 * the device is removed on the way out.
 */
import { clearAndLeave } from './leave-no-trace-clear.ts';
import { KEYS } from './report-offline-store.ts';

const ESCAPES = 3;
const ESCAPE_WINDOW_MS = 2000;

function neutralUrl(): string | undefined {
  return document.querySelector<HTMLAnchorElement>('a[data-quick-exit]')?.href;
}

function leave(url: string): void {
  let clears = false;
  try {
    clears = localStorage.getItem(KEYS.quickExitClears) === 'yes';
  } catch {
    clears = false;
  }
  // Nothing is shown or awaited first: leaving fast matters more than anything else here.
  document.body.hidden = true;
  if (clears) void clearAndLeave(url, 800);
  else location.replace(url);
}

document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.<HTMLAnchorElement>('a[data-quick-exit]');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  event.preventDefault();
  leave(link.href);
});

let escapes: number[] = [];
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  const url = neutralUrl();
  if (!url) return;
  const now = Date.now();
  escapes = [...escapes.filter((at) => now - at < ESCAPE_WINDOW_MS), now];
  if (escapes.length >= ESCAPES) leave(url);
});

/**
 * "Leave no trace" (markup: `<form method="post" action="/leave-no-trace" data-leave-no-trace>` with
 * its CSRF field). Without JavaScript the form posts and the server answers with
 * `Clear-Site-Data: "cache", "storage", "cookies"`. With it, the island clears the device itself (which also
 * works in browsers that ignore that header), asks the server for the header too (it reaches the
 * HTTP cache, which scripts cannot), and leaves for the neutral site replacing this history entry.
 */
import { clearAndLeave } from './leave-no-trace-clear.ts';

document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  if (!form.matches('form[data-leave-no-trace]')) return;
  event.preventDefault();
  const neutral = document.querySelector<HTMLAnchorElement>('a[data-quick-exit]')?.href ?? form.dataset.neutral ?? 'about:blank';
  const csrf = new FormData(form).get('_csrf');
  const told = fetch(form.action, {
    method: 'POST',
    headers: { accept: 'application/json', 'x-csrf-token': typeof csrf === 'string' ? csrf : '' },
    credentials: 'same-origin',
    cache: 'no-store',
  }).catch(() => undefined);
  void Promise.race([told, new Promise((resolve) => setTimeout(resolve, 1500))]).then(() => clearAndLeave(neutral));
});

/**
 * Removes everything CAST keeps in this browser: localStorage and sessionStorage (drafts, reports
 * waiting for a connection, receipt codes, settings), every IndexedDB database, every Cache Storage
 * entry and the service worker. The whole origin is CAST's, so all of it goes, not a list of keys
 * that could fall behind. Cookies are httpOnly: the /leave-no-trace POST clears them (Clear-Site-Data).
 *
 * No side effects on import (quick-exit.ts and leave-no-trace.ts bundle it).
 */
export const CLEARING_EVENT = 'cast:clearing';

/** Removes the offline copy: every Cache Storage entry and the service worker. */
export async function forgetOfflineCopy(): Promise<void> {
  const tasks: Promise<unknown>[] = [];
  if ('caches' in self) tasks.push(caches.keys().then((names) => Promise.all(names.map((name) => caches.delete(name)))));
  if ('serviceWorker' in navigator) tasks.push(navigator.serviceWorker.getRegistrations().then((all) => Promise.all(all.map((registration) => registration.unregister()))));
  await Promise.allSettled(tasks);
}

export async function clearDevice(): Promise<void> {
  // First, so that no island writes again what is being removed (report-draft.ts saves on pagehide).
  document.dispatchEvent(new Event(CLEARING_EVENT));
  for (const storage of [() => localStorage, () => sessionStorage]) {
    try {
      storage().clear();
    } catch {
      // Storage disabled by the browser: then nothing was kept in it.
    }
  }
  const tasks: Promise<unknown>[] = [forgetOfflineCopy()];
  if ('indexedDB' in self && typeof indexedDB.databases === 'function') {
    tasks.push(
      indexedDB.databases().then((all) =>
        Promise.all(
          all.map(
            ({ name }) =>
              new Promise<void>((resolve) => {
                if (!name) return resolve();
                const request = indexedDB.deleteDatabase(name);
                request.onsuccess = request.onerror = request.onblocked = () => resolve();
              }),
          ),
        ),
      ),
    );
  }
  await Promise.allSettled(tasks);
}

/**
 * Clears, then leaves for the neutral site, replacing this page in the history so that "back" does
 * not return to CAST. A slow clean-up never holds the person here longer than `patienceMs`.
 */
export async function clearAndLeave(neutralUrl: string, patienceMs = 1500): Promise<void> {
  await Promise.race([clearDevice(), new Promise((resolve) => setTimeout(resolve, patienceMs))]);
  location.replace(neutralUrl);
}

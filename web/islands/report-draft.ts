/**
 * The report form's draft, kept on this device only — never sent to CAST — and only once the person
 * ticks "Keep a draft on this device" (off by default: a phone may be looked at by someone else).
 * While ticked, the fields are saved as they are typed and put back when the form is opened again;
 * unticking deletes the draft. Ticking also installs the service worker (sw.ts), so the form opens
 * without a connection. The draft is deleted once the report is sent (report-offline.ts sees the
 * receipt page). A second box lets quick exit (quick-exit.ts) also leave no trace.
 *
 * Text comes from the script element's data attributes (src/core/views/device-islands.tsx).
 */
import { CLEARING_EVENT, forgetOfflineCopy } from './leave-no-trace-clear.ts';
import { formPairs, fillForm, KEYS, readJson, remove, reportForm, writeJson, type Pairs } from './report-offline-store.ts';

const SAVE_AFTER_MS = 400;

interface Draft {
  pairs: Pairs;
}

const text = document.querySelector<HTMLScriptElement>('script[data-island="report-draft"]')?.dataset ?? {};

function checkbox(id: string, label: string, hint: string, checked: boolean): { wrapper: HTMLDivElement; input: HTMLInputElement } {
  const wrapper = document.createElement('div');
  wrapper.className = 'checkbox';
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.id = id;
  // Also the default, so that resetting the form (report-offline.ts does) leaves the choice as it is.
  input.checked = input.defaultChecked = checked;
  input.addEventListener('change', () => (input.defaultChecked = input.checked));
  input.setAttribute('aria-describedby', `${id}-hint`);
  const labelElement = document.createElement('label');
  labelElement.htmlFor = id;
  labelElement.textContent = label;
  const hintElement = document.createElement('p');
  hintElement.className = 'hint';
  hintElement.id = `${id}-hint`;
  hintElement.textContent = hint;
  const text = document.createElement('div');
  text.append(labelElement, hintElement);
  wrapper.append(input, text);
  return { wrapper, input };
}

export function registerWorker(): void {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}

function enhance(form: HTMLFormElement): void {
  const saved = readJson<Draft>(KEYS.draft);
  const cameBack = localStorage.getItem(KEYS.sending) !== null;
  remove(KEYS.sending);

  const box = document.createElement('fieldset');
  box.className = 'device-choices';
  const legend = document.createElement('legend');
  legend.textContent = text.legend ?? 'On this device';
  const keep = checkbox('keep-draft', text.keepLabel ?? 'Keep a draft on this device', text.keepHint ?? '', saved !== undefined);
  const exit = checkbox('quick-exit-clears', text.exitLabel ?? 'Quick exit also removes CAST from this device', text.exitHint ?? '', localStorage.getItem(KEYS.quickExitClears) === 'yes');
  box.append(legend, keep.wrapper, exit.wrapper);
  form.prepend(box);

  if (saved && !cameBack) {
    // The server sent the form back with an error (cameBack): what it shows is newer than the draft.
    fillForm(form, saved.pairs);
    const note = document.createElement('p');
    note.className = 'notice';
    note.setAttribute('role', 'status');
    note.textContent = text.restored ?? 'Your draft was restored.';
    box.after(note);
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (keep.input.checked) writeJson(KEYS.draft, { pairs: formPairs(form) } satisfies Draft);
  };
  const later = () => {
    if (!keep.input.checked) return;
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_AFTER_MS);
  };
  if (saved) {
    save();
    registerWorker();
  }

  keep.input.addEventListener('change', () => {
    if (keep.input.checked) {
      save();
      registerWorker();
    } else {
      clearTimeout(timer);
      remove(KEYS.draft);
      // The offline copy came with the choice to keep a draft; it goes with it.
      void forgetOfflineCopy();
    }
  });
  document.addEventListener(CLEARING_EVENT, () => {
    clearTimeout(timer);
    timer = undefined;
    keep.input.checked = keep.input.defaultChecked = false;
  });
  exit.input.addEventListener('change', () => {
    if (exit.input.checked) localStorage.setItem(KEYS.quickExitClears, 'yes');
    else remove(KEYS.quickExitClears);
  });
  form.addEventListener('input', (event) => {
    if (!box.contains(event.target as Node)) later();
  });
  form.addEventListener('change', (event) => {
    if (!box.contains(event.target as Node)) later();
  });
  // Saved at once when the page goes away (a tab closed, a lost connection that reloads).
  addEventListener('pagehide', () => {
    if (timer !== undefined) save();
  });
  form.addEventListener('submit', (event) => {
    // Offline, report-offline.ts keeps the page and offers the queue: nothing is being sent.
    if (!keep.input.checked || event.defaultPrevented || !navigator.onLine) return;
    save();
    localStorage.setItem(KEYS.sending, 'yes');
  });
}

const form = reportForm();
if (form) enhance(form);

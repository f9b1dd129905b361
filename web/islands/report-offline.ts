/**
 * Reports written without a connection. When the report form is sent while the device is offline,
 * the page keeps it and asks: "Send it when I am back online"? Only if the person says yes is the
 * report kept on the device (a phone may be looked at by someone else); it is then sent through the
 * JSON API as soon as the connection returns — on the `online` event, or when a reporting page (the
 * installed app opens on the report form) is next opened — and its receipt code is shown once, then
 * deleted. Loaded on every reporting page (src/core/views/device-islands.tsx).
 *
 * Also: after the browser sent the form (report-draft.ts marks it), a receipt page
 * (`[data-receipt-code]`, receipt-page.tsx) means the report arrived, so the draft is deleted.
 *
 * Text comes from the script element's data attributes (src/core/views/device-islands.tsx).
 */
import { apiBody, fillForm, formPairs, KEYS, readJson, remove, reportForm, writeJson, type QueuedReport } from './report-offline-store.ts';

interface Receipt {
  reference: string;
  receiptCode: string;
}

const text = document.querySelector<HTMLScriptElement>('script[data-island="report-offline"]')?.dataset ?? {};
const say = (key: string, fallback: string) => text[key] ?? fallback;

function notice(kind: 'status' | 'alert', ...children: (string | Node)[]): HTMLElement {
  const box = document.createElement('div');
  box.className = kind === 'alert' ? 'error-summary' : 'notice';
  box.setAttribute('role', kind);
  box.dataset.reportOfflineNotice = '';
  for (const child of children) {
    if (child instanceof HTMLUListElement) {
      if (child.childElementCount > 0) box.append(child);
      continue;
    }
    const paragraph = document.createElement('p');
    paragraph.append(child);
    box.append(paragraph);
  }
  const main = document.querySelector('main') ?? document.body;
  main.prepend(box);
  return box;
}

function showReceipts(): void {
  const receipts = readJson<Receipt[]>(KEYS.receipts) ?? [];
  if (receipts.length === 0) return;
  for (const receipt of receipts) {
    const code = document.createElement('code');
    code.className = 'token';
    code.dataset.queuedReceipt = '';
    code.textContent = receipt.receiptCode;
    notice('status', say('sent', 'Your report was sent.'), say('receiptIntro', 'Your receipt code:'), code, say('receiptOnce', 'It is shown only once.'));
  }
  // Shown once, like the server's receipt page: CAST keeps only its hash, the device keeps nothing.
  remove(KEYS.receipts);
}

/**
 * Sent without cookies: a report kept while offline goes anonymously, so it is never tied to whoever
 * happens to be signed in when the connection returns — and, with no session, needs no CSRF token.
 */
function send(report: QueuedReport): Promise<Response> {
  return fetch('/api/v1/reports', {
    method: 'POST',
    credentials: 'omit',
    cache: 'no-store',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(report.body),
  });
}

async function flushOnce(): Promise<void> {
  for (const report of readJson<QueuedReport[]>(KEYS.outbox) ?? []) {
    let response: Response;
    try {
      response = await send(report);
    } catch {
      return; // Still offline: try again on the next `online` event or page.
    }
    const rest = () => (readJson<QueuedReport[]>(KEYS.outbox) ?? []).filter((queued) => queued.id !== report.id);
    if (response.status === 201) {
      const receipt = (await response.json()) as Receipt;
      // In one go, so a page closed now neither sends it twice nor loses the code.
      writeJson(KEYS.receipts, [...(readJson<Receipt[]>(KEYS.receipts) ?? []), { reference: receipt.reference, receiptCode: receipt.receiptCode }]);
      writeJson(KEYS.outbox, rest());
      remove(KEYS.draft);
      showReceipts();
    } else if (response.status === 400 || response.status === 422) {
      const answer = (await response.json().catch(() => ({}))) as { error?: { fields?: Record<string, string> } };
      const why = document.createElement('ul');
      const form = reportForm();
      for (const [field, message] of Object.entries(answer.error?.fields ?? {})) {
        // The field's own label says which one, where the API's message alone may not.
        const label = form?.querySelector<HTMLInputElement>(`[name="${CSS.escape(field)}"]`)?.labels?.[0]?.textContent?.trim();
        why.append(Object.assign(document.createElement('li'), { textContent: label ? `${label}: ${message}` : message }));
      }
      if (form) {
        // Refused as it stands: back into the form, for the person to correct and send.
        writeJson(KEYS.outbox, rest());
        fillForm(form, report.pairs);
        notice('alert', say('refused', 'A report kept on this device could not be sent. It is back in the form: check it and send it again.'), why);
      } else {
        const link = document.createElement('a');
        link.href = '/report';
        link.textContent = say('openForm', 'Open the report form');
        notice('alert', say('refusedElsewhere', 'A report kept on this device could not be sent.'), why, link);
      }
    } else {
      return; // The server is busy or failing: keep everything and try later.
    }
  }
  if ((readJson<QueuedReport[]>(KEYS.outbox) ?? []).length === 0) remove(KEYS.outbox);
}

/** One tab at a time sends the queue (Web Locks where the browser has them), so nothing goes twice. */
async function flush(): Promise<void> {
  if (!navigator.onLine || !readJson<QueuedReport[]>(KEYS.outbox)?.length) return;
  if ('locks' in navigator) await navigator.locks.request('cast-outbox', flushOnce);
  else await flushOnce();
}

function offerQueue(form: HTMLFormElement): void {
  document.querySelector('[data-offline-choice]')?.remove();
  const panel = document.createElement('div');
  panel.className = 'error-summary';
  panel.setAttribute('role', 'alert');
  panel.dataset.offlineChoice = '';
  const title = document.createElement('p');
  title.className = 'error';
  title.textContent = say('offline', 'You are offline: your report has not been sent.');
  const explain = document.createElement('p');
  explain.textContent = say('offlineExplain', 'It is still in this page.');
  const actions = document.createElement('div');
  actions.className = 'actions';
  const queue = document.createElement('button');
  queue.type = 'button';
  queue.className = 'button';
  queue.textContent = say('queue', 'Send it when I am back online');
  const notNow = document.createElement('button');
  notNow.type = 'button';
  notNow.className = 'link-button';
  notNow.textContent = say('notNow', 'No, keep nothing on this device');
  actions.append(queue, notNow);
  panel.append(title, explain, actions);
  form.before(panel);
  panel.tabIndex = -1;
  panel.focus();

  queue.addEventListener('click', () => {
    const pairs = formPairs(form);
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    writeJson(KEYS.outbox, [...(readJson<QueuedReport[]>(KEYS.outbox) ?? []), { id, pairs, body: apiBody(pairs) } satisfies QueuedReport]);
    // The queue holds it now; a draft of the same report would only be a second copy.
    remove(KEYS.draft);
    form.reset();
    panel.remove();
    notice('status', say('queued', 'Your report is waiting on this device and will be sent when the connection returns.'));
    void flush();
  });
  notNow.addEventListener('click', () => panel.remove());
}

function afterBrowserSend(): void {
  if (localStorage.getItem(KEYS.sending) === null || reportForm()) return;
  remove(KEYS.sending);
  if (document.querySelector('[data-receipt-code]')) remove(KEYS.draft);
}

try {
  afterBrowserSend();
  showReceipts();
  const form = reportForm();
  form?.addEventListener('submit', (event) => {
    // A named submit button (e.g. "add more rows") redraws the form; it does not send the report.
    if (navigator.onLine || event.submitter?.getAttribute('name')) return;
    event.preventDefault();
    offerQueue(form);
  });
  addEventListener('online', () => void flush());
  void flush();
} catch {
  // Storage is disabled in this browser: the form still works as a plain form.
}

/**
 * The chocolate campaign's scenarios (issue 8): the public scorecard page over 500 companies × 10
 * criteria × 15 years (as first opened, and sorted by the average with a filter), and the action
 * e-mail sustained — `startActionEmail` and, as soon as its confirmation e-mail reaches the outbox,
 * `confirmActionEmail` with the token from that e-mail. Each supporter is new and writes a message
 * of their own (a shared opening plus their own words), to three companies; confirmation queues
 * three sends and six e-mails in the background.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RequestSpec } from './load.ts';
import type { Scenario } from './scenarios.ts';

export const CHOCOLATE_SCENARIOS = ['getScorecard-page', 'getScorecard-sorted', 'startActionEmail+confirm'];

const WORDS = 'cocoa farm children school price living income bean harvest village family river market trader truck season rain sun work hours pay fair trade label shop shelf easter egg bar milk dark sugar vanilla brand promise deadline report audit certify trace supply chain cooperative ghana ivory coast future learn play safe home mother father sister brother'.split(' ');

/** Confirmation tokens as they arrive in the outbox (quoted-printable soft breaks undone). */
function outboxTokens(outbox: string): { take(): string | undefined; stop(): void } {
  const tokens: string[] = [];
  const timer = setInterval(() => {
    let files: string[];
    try {
      files = fs.readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    } catch {
      return;
    }
    for (const file of files) {
      const full = path.join(outbox, file);
      try {
        const text = fs.readFileSync(full, 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        const match = /\/chocolate\/action\/confirm\/([\w-]{43})/.exec(text);
        if (match) tokens.push(match[1]!);
        fs.unlinkSync(full);
      } catch {
        // Being written or already taken: the next round sees it.
      }
    }
  }, 100);
  return { take: () => tokens.shift(), stop: () => clearInterval(timer) };
}

export function chocolateScenarios(seed: { companies: string[]; outbox: string } | undefined): Scenario[] {
  if (!seed) return [];
  let tokens: ReturnType<typeof outboxTokens> | undefined;
  let supporter = 0;
  const start = (connection: number): RequestSpec => {
    supporter += 1;
    // 30 words drawn by a generator seeded per supporter: each message is its own (an arithmetic
    // step through the word list gave only 55 distinct texts, so most were held as near-identical).
    let state = (Math.imul(supporter, 0x9e3779b1) ^ Math.imul(connection + 1, 0x85ebca6b)) >>> 0 || 1;
    const own = Array.from({ length: 30 }, () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return WORDS[(state >>> 0) % WORDS.length];
    }).join(' ');
    const companies = [0, 1, 2].map((i) => seed.companies[(supporter * 3 + i) % seed.companies.length]!);
    const body = { companies, name: `Supporter ${supporter}`, email: `supporter-${supporter}-${connection}@bench.example`, subject: 'Traffik-free chocolate, please', message: `Dear chocolate maker, please tell me what you do about child labour. ${own}` };
    return { method: 'POST', path: '/api/v1/chocolate/action-emails', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  };
  return [
    // The whole scorecard table (500 rows × 10 grades) rendered as a page, the latest year, sorted by name.
    // The scorecard page as it is first opened: the latest year, sorted by name, its first page (50 rows × 10 grades).
    { name: 'getScorecard-page', prepare: async () => () => ({ method: 'GET', path: '/chocolate' }) },
    // The costliest sort with a filter: by the average grade, companies with a B on one criterion (100 of them), page 2.
    { name: 'getScorecard-sorted', prepare: async () => () => ({ method: 'GET', path: '/chocolate?sort=average&dir=desc&criterion=traceability&grade=B&page=2' }) },
    {
      name: 'startActionEmail+confirm',
      async prepare(target, connection) {
        tokens ??= outboxTokens(seed.outbox);
        if (connection === 0) {
          const answer = await target.send(start(connection), true);
          if (answer.status !== 202) throw new Error(`startActionEmail answered ${answer.status}: ${answer.body.slice(0, 300)}`);
        }
        return () => {
          const token = tokens!.take();
          if (!token) return start(connection);
          return { method: 'POST', path: '/api/v1/chocolate/action-emails/confirmation', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) };
        };
      },
    },
  ];
}

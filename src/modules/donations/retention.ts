/**
 * Gift Aid retention (decision 0024). HMRC requires a charity to keep a Gift Aid declaration, and the
 * records of the gifts that rely on it, for six years after the end of the accounting period of the
 * last gift it covers (and for as long as it is still in use). CAST keeps no donor records, so the
 * gifts a declaration covers are its own donation's payments; the last of them, or the day it was
 * made if none was ever paid, starts the clock. A declaration still in use — its monthly donation
 * still running, or a declaration for all gifts whose end date has not passed (open-ended: until the
 * donor cancels it; it may back gifts made outside CAST) — is kept whatever its age.
 *
 * After that the declaration (name, home address, postcode) is deleted. Donations and payments stay:
 * they hold no personal data and are the charity's accounting records.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';

export interface GiftAidRetention {
  /** Years kept after the end of the accounting period (at least six). */
  years: number;
  /** The last day of the accounting year as MM-DD; unset, a gift's period is taken to end a year after the gift. */
  accountingYearEnd: string | undefined;
}

/**
 * Deletes up to `limit` Gift Aid declarations whose last gift falls before the first day still kept;
 * returns how many. Locked and skipped when another run holds them, so two runs delete each once.
 */
export async function deleteExpiredGiftAidDeclarations(db: Kysely<Tables>, rule: GiftAidRetention, now: Date, limit: number): Promise<number> {
  const before = giftAidKeptFrom(rule, now);
  const result = await sql`
    delete from gift_aid_declarations where id in (
      select g.id from gift_aid_declarations g join donations d on d.id = g.donation_id
      where g.declared_on < ${before}::date
        and not (d.frequency = 'monthly' and d.status = 'succeeded')
        -- A declaration for all gifts covers the future until its end date: in use until then, so its
        -- six years start no earlier than that (open-ended: in use until the donor cancels it).
        and not (g.scope = 'all' and (g.ends_on is null or g.ends_on >= ${before}::date))
        and not exists (
          select 1 from donation_payments p
          where p.donation_id = g.donation_id and (p.paid_at at time zone 'Europe/London')::date >= ${before}::date)
      limit ${limit}
      for update of g skip locked)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The first day (YYYY-MM-DD, UK) whose gifts must still be kept on `now`: a gift on an earlier day
 * lies in an accounting period that ended more than `years` years ago.
 *
 * With a year end E: the periods that ended more than `years` years before today are those ending
 * before today minus `years`; the last of them ends on the latest E before that day, and the day
 * after it is the first kept. Without one, every gift is taken to close its period a year later (an
 * accounting period is twelve months), which is never earlier than its real end.
 */
export function giftAidKeptFrom(rule: GiftAidRetention, now: Date): string {
  const limit = minusYears(ukDay(now), rule.years);
  if (!rule.accountingYearEnd) return minusYears(limit, 1);
  const [month, day] = rule.accountingYearEnd.split('-').map(Number) as [number, number];
  const year = Number(limit.slice(0, 4));
  const endThisYear = isoDate(year, month, day);
  const lastEnd = endThisYear < limit ? endThisYear : isoDate(year - 1, month, day);
  const next = new Date(`${lastEnd}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** Today in the UK, where the accounting periods and the claim's days are counted. */
function ukDay(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const isoDate = (year: number, month: number, day: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The same day `years` earlier; 29 February becomes the 28th (the earlier day: nothing is deleted a day early). */
function minusYears(day: string, years: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return isoDate(year - years, month, month === 2 && date === 29 && !leap(year - years) ? 28 : date);
}

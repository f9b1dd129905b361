/**
 * iCalendar (RFC 5545) output: lines end in CRLF, are folded at 75 octets (never inside a UTF-8
 * character), text values are escaped, and every event has a UID and a DTSTAMP. Timed events are
 * written in UTC; all-day events as DATE values with an exclusive end (Freedom Week, 24–30 November,
 * is DTSTART;VALUE=DATE:…1124 to DTEND;VALUE=DATE:…1201). An edited event keeps its UID and carries
 * a higher SEQUENCE; a cancelled one stays in the feed with STATUS:CANCELLED, so calendar programs that
 * hold it learn to remove it.
 */
import { nextDay } from './time.ts';

export interface CalendarEvent {
  id: string;
  title: string;
  description: string;
  allDay: boolean;
  startsAt: Date;
  endsAt: Date;
  /** YYYY-MM-DD, for all-day events: the first and the last day (inclusive). */
  firstDay: string | null;
  lastDay: string | null;
  place: string | null;
  onlineUrl: string | null;
  campaign: string | null;
  createdAt: Date;
  /** The last change, if any (LAST-MODIFIED). */
  updatedAt: Date | null;
  /** SEQUENCE: raised at every change, so a calendar program replaces the copy it holds. */
  sequence: number;
  /** STATUS:CANCELLED tells calendar programs to remove (or strike out) the event. */
  cancelled: boolean;
  /** The event's page. */
  url: string;
}

/** TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line into lines of at most 75 octets; each continuation starts with one space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

const utc = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const day = (text: string) => text.replace(/-/g, '');
// Control characters other than tab have no place in a calendar (or in most programs reading one).
const printable = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');

function eventLines(event: CalendarEvent, uidHost: string, stamp: Date): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${event.id}@${uidHost}`, `DTSTAMP:${utc(stamp)}`, `CREATED:${utc(event.createdAt)}`, `SEQUENCE:${event.sequence}`];
  if (event.updatedAt) lines.push(`LAST-MODIFIED:${utc(event.updatedAt)}`);
  if (event.allDay && event.firstDay && event.lastDay) {
    lines.push(`DTSTART;VALUE=DATE:${day(event.firstDay)}`, `DTEND;VALUE=DATE:${day(nextDay(event.lastDay))}`);
  } else {
    lines.push(`DTSTART:${utc(event.startsAt)}`, `DTEND:${utc(event.endsAt)}`);
  }
  lines.push(`SUMMARY:${escapeText(printable(event.title))}`);
  const description = [event.description, event.onlineUrl ?? '', event.url].filter((part) => part !== '').join('\n\n');
  lines.push(`DESCRIPTION:${escapeText(printable(description))}`);
  const location = event.place ?? event.onlineUrl;
  if (location) lines.push(`LOCATION:${escapeText(printable(location))}`);
  if (event.campaign) lines.push(`CATEGORIES:${escapeText(event.campaign)}`);
  lines.push(`STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`);
  lines.push(`URL:${event.url}`, event.cancelled ? 'TRANSP:TRANSPARENT' : 'TRANSP:OPAQUE', 'END:VEVENT');
  return lines;
}

/** A whole calendar: one event (an .ics to add) or a feed. */
export function calendar(events: readonly CalendarEvent[], options: { name: string; uidHost: string; stamp?: Date }): string {
  const stamp = options.stamp ?? new Date();
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//STOP THE TRAFFIK//CAST events//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(printable(options.name))}`];
  for (const event of events) lines.push(...eventLines(event, options.uidHost, stamp));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/**
 * Every command, described here and loaded only when it runs: the database drivers and the app take
 * seconds to load, and `cast help` or a mistyped option should answer at once.
 */
import { ROLES } from '../core/auth/roles.ts';
import { SCOPES } from '../core/auth/scopes.ts';

export interface Command {
  /** What is typed after `cast`, e.g. "user create". */
  name: string;
  /** One line: the synopsis. */
  usage: string;
  summary: string;
  /** Options and notes, shown by `cast help <command>`. */
  details: string;
  /** Loads the command; its run returns the exit code. */
  load(): Promise<{ run(args: string[]): Promise<number> }>;
}

export const COMMANDS: Command[] = [
  {
    name: 'migrate',
    usage: 'cast migrate',
    summary: 'Apply pending database migrations',
    details: 'Applies every migration in migrations/ that the database does not have yet, and lists them.',
    load: () => import('./migrate.ts'),
  },
  {
    name: 'user create',
    usage: 'cast user create --email E --role R [--country CC] [--name N] --password-stdin',
    summary: 'Create a confirmed account with one role',
    details: [
      '--email E          the e-mail address the person signs in with',
      `--role R           one of: ${ROLES.join(', ')}`,
      '--country CC       two upper-case letters (e.g. GB): required for, and only for, national-coordinator',
      '--name N           display name (default: the part of the e-mail before @)',
      '--password-stdin   read the password from the first line of standard input (required)',
      '',
      'Prints the new account id.',
      'Example: printf "%s\\n" "$PASSWORD" | cast user create --email ada@example.org --role admin --password-stdin',
    ].join('\n'),
    load: () => import('./user.ts'),
  },
  {
    name: 'token create',
    usage: 'cast token create --email E --scopes S[,S…] [--name N]',
    summary: 'Issue a personal API token and print it once',
    details: [
      '--email E     the account the token acts for',
      `--scopes S    comma-separated, from: ${SCOPES.join(', ')}`,
      '--name N      a label to tell tokens apart (default: "cli")',
      '',
      'Prints only the token, on its own line. It cannot be shown again.',
      'Example: TOKEN=$(cast token create --email ada@example.org --scopes account:read)',
    ].join('\n'),
    load: () => import('./token.ts'),
  },
  {
    name: 'audit verify',
    usage: 'cast audit verify',
    summary: 'Check that the audit log chain is intact',
    details: 'Recomputes the hash of every audit entry in order. Exits 0 when the chain holds, 1 at the first broken entry.',
    load: () => import('./audit.ts'),
  },
  {
    name: 'backup',
    usage: 'cast backup FILE',
    summary: 'Write a portable backup of the database to FILE',
    details: [
      "Writes every table of the public schema as gzip'd JSON lines (see docs/cli.md), from one",
      'consistent snapshot, while the instance keeps running. The job queue (schema pgboss) and the',
      'instance key are not included: keep CAST_KEY_FILE (or CAST_KEY, data/instance.key) safe separately.',
      'Example: cast backup backups/cast-$(date +%F).jsonl.gz',
    ].join('\n'),
    load: () => import('./backup.ts'),
  },
  {
    name: 'restore',
    usage: 'cast restore FILE',
    summary: 'Replace all data with the backup in FILE',
    details: [
      'Empties every table of the public schema and loads the backup into it, in one transaction.',
      'The database must be at the schema version of the backup; an empty database is migrated first.',
      'Needs a superuser connection on PostgreSQL (triggers are switched off while loading). Stop the',
      'instance first: the sessions and tokens of the backup replace the current ones.',
      'Example: cast restore backups/cast-2025-01-31.jsonl.gz && cast audit verify',
    ].join('\n'),
    load: () => import('./restore.ts'),
  },
  {
    name: 'keys rotate',
    usage: 'cast keys rotate [--wait SECONDS]',
    summary: 'Re-encrypt every sealed field under a new data key',
    details: [
      'Makes a new data key current, waits for running processes to start sealing with it (they check',
      'every 5 seconds), re-encrypts every sealed column in batches while the instance keeps running, and',
      'retires the old keys once nothing uses them. Safe to run again if interrupted: it finishes the',
      'rotation it started. One audit entry (keys.rotated).',
      '--wait SECONDS   how long to wait for running processes (default 12; skipped on PGlite, where no',
      '                 server can run alongside). Lower it only when no server is running.',
      'Example: cast keys rotate',
    ].join('\n'),
    load: () => import('./keys-rotate.ts'),
  },
  {
    name: 'keys rewrap',
    usage: 'cast keys rewrap (--new-key-file FILE | --new-key-stdin)',
    summary: 'Wrap the data keys under a new instance key',
    details: [
      'Re-wraps every data key under the new instance key (sealed values are not touched) and pins the',
      'blind-index key, so matching keeps working. The current key (CAST_KEY_FILE or CAST_KEY) must open',
      'the data keys. Then put the new key where CAST_KEY_FILE points and restart every process.',
      'One audit entry (keys.rewrapped).',
      '--new-key-file FILE   read the new key (base64 of at least 32 random bytes) from FILE',
      '--new-key-stdin       read it from the first line of standard input',
      'Example: openssl rand -base64 32 > new.key && cast keys rewrap --new-key-file new.key',
    ].join('\n'),
    load: () => import('./keys-rewrap.ts'),
  },
  {
    name: 'import ctdc',
    usage: 'cast import ctdc FILE.csv [--label L] [--keep-valid]',
    summary: 'Import a CTDC data set as the context layer of routes and public statistics',
    details: [
      'Reads a Counter Trafficking Data Collaborative CSV (any edition: alpha-2 or alpha-3 country codes,',
      '-99 or empty for missing values) and keeps counts of records per year, citizenship, country of',
      'exploitation and exploitation type, shown beside CAST\'s own reports as a separate, labelled layer',
      '(the newest import is the one shown). Public figures from it leave out any count below 11.',
      'Every problem is printed with its line. Unknown or missing columns refuse the file; bad rows refuse',
      'it too unless --keep-valid is given. Nothing is written unless the import succeeds.',
      '--label L      the name shown beside the layer (default: "CTDC <file name>")',
      '--keep-valid   import the valid rows and leave out the bad ones (they are counted)',
      'Example: cast import ctdc ~/Downloads/The_Global_Dataset.csv --label "CTDC global synthetic 2024"',
    ].join('\n'),
    load: () => import('./import-ctdc.ts'),
  },
  {
    name: 'correlation relink',
    usage: 'cast correlation relink [--cap N] [--encodings [--restart] [--batch N]]',
    summary: 'Link every report again from its identifiers (and rebuild fuzzy encodings)',
    details: [
      'Walks every identifier held by two or more reports (by blind index, never in clear) and adds the',
      'exact links that are missing; links already there keep their status. An identifier in more than',
      'the cap of reports (default 50) is marked common and links nothing; warning-list identifiers never',
      'link. Run it after changing the warning list or the cap, or after a restore. Safe to run again.',
      'With --encodings it then rebuilds every fuzzy encoding (addresses, place descriptions, names) from',
      'the sealed fields and proposes the links they find: run it after the blind-index key or the',
      'encoding changed. The rebuild goes in batches and resumes where it stopped if interrupted.',
      '--cap N       the common-identifier cap for this run (2 to 100000)',
      '--encodings   also rebuild the fuzzy encodings from the sealed fields',
      '--restart     with --encodings: drop an interrupted rebuild and start from the first report',
      '--batch N     with --encodings: reports per batch (1 to 10000, default 500)',
      'Example: cast correlation relink --encodings',
    ].join('\n'),
    load: () => import('./correlation-relink.ts'),
  },
  {
    name: 'retention run',
    usage: 'cast retention run [--dry-run]',
    summary: 'Apply the retention policy now (what the daily job does)',
    details: [
      'Reduces to statistics every report received more than CAST_RETENTION_REPORT_DAYS ago (default 730)',
      'that is not in a network, in a disclosure or in a confirmed link: its restricted fields, identifiers,',
      'additions, notes and correlation rows are deleted; country, coarse cell, dates, types, indicators,',
      'grade and status stay, so map and route totals do not change. Then the supporter rules: unconfirmed',
      'declaration signatures, newsletter subscribers on no list or suppressed, sign-ups to past events,',
      'chocolate action e-mails whose messages went out, Gift Aid declarations past HMRC\'s six years',
      '(CAST_RETENTION_UNCONFIRMED_DAYS, CAST_RETENTION_UNSUBSCRIBED_DAYS, CAST_RETENTION_EVENT_DAYS,',
      'CAST_RETENTION_CHOCOLATE_DAYS, CAST_RETENTION_GIFT_AID_YEARS, CAST_RETENTION_ACCOUNTING_YEAR_END).',
      'Works in batches and is safe to run while the instance runs, and again: what is done is not done twice.',
      'Prints the counts; writes one audit entry with the counts.',
      '--dry-run   print what every rule would reduce, erase or delete; change nothing',
      'Example: cast retention run --dry-run',
    ].join('\n'),
    load: () => import('./retention.ts'),
  },
];

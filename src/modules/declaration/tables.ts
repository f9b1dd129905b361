/** Row types of the declaration module's tables, as Kysely sees them (migrations/0015_create_declarations.sql). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type SignatureFlag = 'honeypot' | 'blocked-domain' | 'disposable-domain' | 'rate-limited' | 'invalidated';
export type DomainRuleKind = 'blocked' | 'disposable';

export interface DeclarationsTable {
  id: Generated<string>;
  slug: string;
  opens_at: Timestamp;
  closes_at: NullableTimestamp;
  created_at: Generated<Date>;
  erased_at: NullableTimestamp;
}

export interface DeclarationTextsTable {
  declaration_id: string;
  language: string;
  title: string;
  summary: string;
  body: string;
}

export interface DeclarationSignaturesTable {
  id: string;
  declaration_id: string;
  email_hash: Buffer | null;
  name_sealed: string | null;
  email_sealed: string | null;
  postcode_sealed: string | null;
  email_domain: string | null;
  ip_hash: string | null;
  country: string;
  language: string;
  opt_in: boolean;
  token_hash: Buffer | null;
  token_expires_at: NullableTimestamp;
  flag: SignatureFlag | null;
  created_at: Generated<Date>;
  confirmed_at: NullableTimestamp;
  erased_at: NullableTimestamp;
}

export interface DeclarationCountDeltasTable {
  id: Generated<string>;
  declaration_id: string;
  country: string;
  delta: number;
}

export interface DeclarationCountsTable {
  declaration_id: string;
  country: string;
  /** bigint: read back as a string by the PostgreSQL driver. */
  total: ColumnType<string | number, number, number>;
}

export interface DeclarationSettingsTable {
  id: Generated<boolean>;
  burst_max: number;
  burst_seconds: number;
  sustained_max: number;
  sustained_seconds: number;
  erase_after_days: number;
  updated_at: Timestamp;
}

export interface DeclarationDomainRulesTable {
  domain: string;
  kind: DomainRuleKind;
  added_at: Generated<Date>;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type DeclarationTables = {
  declarations: DeclarationsTable;
  declaration_texts: DeclarationTextsTable;
  declaration_signatures: DeclarationSignaturesTable;
  declaration_count_deltas: DeclarationCountDeltasTable;
  declaration_counts: DeclarationCountsTable;
  declaration_settings: DeclarationSettingsTable;
  declaration_domain_rules: DeclarationDomainRulesTable;
};

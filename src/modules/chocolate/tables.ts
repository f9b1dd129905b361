/** Row types of the chocolate module's tables, as Kysely sees them (see migrations/0018_create_chocolate.sql). */
import type { ColumnType, Generated } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns: read back as text (YYYY-MM-DD) by both drivers' settings here, written as text. */
type DateText = ColumnType<string, string, string>;

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';
export type CommitmentStatus = 'pending' | 'met' | 'missed' | 'extended';
export type Certification = 'fairtrade' | 'rainforest-alliance' | 'organic' | 'other';
export type MessageStatus = 'queued' | 'held' | 'sent' | 'rejected';

export interface CompaniesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  country: string;
  brands: ColumnType<string[], string[] | undefined, string[]>;
  parent_company: string | null;
  contact_email: string | null;
  website: string | null;
  suggested: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CriteriaTable {
  id: Generated<string>;
  slug: string;
  name: string;
  description: Generated<string>;
  position: Generated<number>;
}

export interface AssessmentsTable {
  company_id: string;
  criterion_id: string;
  year: number;
  grade: Grade;
  source_url: string;
  note: Generated<string>;
  updated_at: Generated<Date>;
}

export interface CommitmentsTable {
  id: Generated<string>;
  slug: string;
  title: string;
  body: string;
  made_by: string;
  company_id: string | null;
  made_on: DateText;
  deadline: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<CommitmentStatus>;
  source_url: string;
  created_at: Generated<Date>;
}

export interface CommitmentEventsTable {
  id: Generated<string>;
  commitment_id: string;
  kind: 'extension' | 'finding';
  on_date: DateText;
  new_deadline: ColumnType<string | null, string | null | undefined, string | null>;
  summary: string;
  source_url: string;
}

export interface GuideEntriesTable {
  id: Generated<string>;
  brand: string;
  country: string;
  certification: Certification;
  company_id: string | null;
  note: Generated<string>;
  website: string | null;
}

export interface CampaignsTable {
  id: Generated<string>;
  slug: string;
  title: string;
  deadline: DateText;
  suggested_subject: string;
  suggested_message: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ActionRequestsTable {
  id: Generated<string>;
  campaign_id: string;
  email_hash: Buffer;
  name_sealed: string;
  email_sealed: string;
  subject_sealed: string;
  message_sealed: string;
  company_ids: ColumnType<string[], string[], string[]>;
  language: Generated<string>;
  token_hash: Buffer;
  signature: ColumnType<number[], number[], number[]>;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  confirmed_at: NullableTimestamp;
  review: 'held' | 'approved' | 'rejected' | null;
  reviewed_at: NullableTimestamp;
}

export interface ActionMessagesTable {
  id: Generated<string>;
  request_id: string;
  campaign_id: string;
  company_id: string;
  email_hash: Buffer;
  status: MessageStatus;
  created_at: Generated<Date>;
  sent_at: NullableTimestamp;
  reply_token_hash: Buffer | null;
  reply_asked_at: NullableTimestamp;
  reply: 'yes' | 'no' | null;
  replied_at: NullableTimestamp;
}

export interface MessageBandsTable {
  campaign_id: string;
  band: number;
  bucket: ColumnType<string, string | number | bigint, string>;
  request_id: string;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type ChocolateTables = {
  chocolate_companies: CompaniesTable;
  chocolate_criteria: CriteriaTable;
  chocolate_assessments: AssessmentsTable;
  chocolate_commitments: CommitmentsTable;
  chocolate_commitment_events: CommitmentEventsTable;
  chocolate_guide_entries: GuideEntriesTable;
  chocolate_campaigns: CampaignsTable;
  chocolate_action_requests: ActionRequestsTable;
  chocolate_action_messages: ActionMessagesTable;
  chocolate_message_bands: MessageBandsTable;
};

/** Row types of every table, as Kysely sees them. Each module adds its own tables here. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  email_confirmed_at: NullableTimestamp;
  language: Generated<string>;
  totp_secret_sealed: string | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: number | null;
  disabled_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
  country: string | null;
  granted_at: Generated<Date>;
}

export interface SessionsTable {
  token_hash: Buffer;
  user_id: string;
  stage: 'full' | 'totp' | 'enrol';
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface EmailTokensTable {
  token_hash: Buffer;
  user_id: string;
  purpose: 'confirm-email' | 'reset-password';
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface SetupTokensTable {
  token_hash: Buffer;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: Buffer;
  prefix: string;
  scopes: string[];
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface ThrottleCountersTable {
  key: string;
  window_start: Timestamp;
  hits: number;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  subject: string | null;
  detail: ColumnType<Record<string, unknown>, string, string>;
  prev_hash: string;
  hash: string;
}

export interface Tables {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  email_tokens: EmailTokensTable;
  setup_tokens: SetupTokensTable;
  api_tokens: ApiTokensTable;
  throttle_counters: ThrottleCountersTable;
  audit_log: AuditLogTable;
}

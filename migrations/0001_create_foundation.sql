-- Accounts, sessions, tokens, throttles and the audit log: the foundation every module builds on.

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  display_name text not null,
  password_hash text not null,
  email_confirmed_at timestamptz,
  language text not null default 'en' check (language in ('en', 'fr')),
  -- Encrypted with the instance key (AES-256-GCM); never stored in clear.
  totp_secret_sealed text,
  totp_enabled_at timestamptz,
  -- The last accepted TOTP time step, so a code cannot be replayed.
  totp_last_step bigint,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  constraint users_email_lowercase check (email = lower(email))
);
create unique index users_email_key on users (email);

create table user_roles (
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('admin', 'national-coordinator', 'group-coordinator', 'member', 'partner', 'editor')),
  -- The country a national coordinator answers for (ISO 3166-1 alpha-2); null for other roles.
  country text check (country ~ '^[A-Z]{2}$'),
  granted_at timestamptz not null default now(),
  constraint user_roles_country_for_national check ((role = 'national-coordinator') = (country is not null))
);
create unique index user_roles_key on user_roles (user_id, role, coalesce(country, ''));

create table sessions (
  -- SHA-256 of the cookie value: a copy of this table does not let anyone sign in.
  token_hash bytea primary key,
  user_id uuid not null references users (id) on delete cascade,
  -- full: signed in; totp: password accepted, code awaited; enrol: must set up two-factor first.
  stage text not null check (stage in ('full', 'totp', 'enrol')),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expiry_idx on sessions (expires_at);

create table email_tokens (
  token_hash bytea primary key,
  user_id uuid not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('confirm-email', 'reset-password')),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index email_tokens_user_idx on email_tokens (user_id, purpose);

create table setup_tokens (
  token_hash bytea primary key,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  token_hash bytea not null unique,
  -- The first characters of the token, shown in lists so a person can tell tokens apart.
  prefix text not null,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

-- Fixed-window counters for rate limits and sign-in throttling. Keys are keyed hashes, never
-- addresses or e-mails in clear.
create table throttle_counters (
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  expires_at timestamptz not null,
  primary key (key, window_start)
);
create index throttle_counters_expiry_idx on throttle_counters (expires_at);

-- Append-only and tamper-evident: each entry carries the hash of the one before it.
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor_id uuid,
  action text not null,
  subject text,
  detail jsonb not null default '{}',
  prev_hash text not null,
  hash text not null unique
);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end;
$$;

create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only();

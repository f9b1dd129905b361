-- The declaration: petitions the campaign asks people to sign (src/modules/declaration/CONTEXT.md).
--
-- Signatures are written in batches and counted in batches: a confirmation adds a row to
-- declaration_count_deltas, and the tally folds those rows into declaration_counts every second or
-- two. No row is updated once per signature by everyone (the 2019 UK petitions outage).
-- Names, addresses and postcodes are sealed by the application (columns ending in _sealed); the
-- address is matched only through its keyed hash. All of them are erased some time after the
-- declaration closes; the counts stay.

create table declarations (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 60),
  opens_at timestamptz not null default now(),
  closes_at timestamptz,
  constraint declarations_dates check (closes_at is null or closes_at > opens_at),
  created_at timestamptz not null default now(),
  -- When the signatures' personal data was erased (after closing); null until then.
  erased_at timestamptz
);

-- One text per language a declaration is published in.
create table declaration_texts (
  declaration_id uuid not null references declarations (id) on delete cascade,
  language text not null check (language ~ '^[a-z]{2}$'),
  title text not null check (length(title) between 1 and 200),
  summary text not null check (length(summary) <= 1000),
  body text not null check (length(body) <= 20000),
  primary key (declaration_id, language)
);

create table declaration_signatures (
  id uuid primary key default gen_random_uuid(),
  declaration_id uuid not null references declarations (id) on delete cascade,
  -- HMAC of the normalised address: one signature per person; null once erased.
  email_hash bytea,
  name_sealed text,
  email_sealed text,
  postcode_sealed text,
  -- The address's domain (lower-case ASCII), for block lists and the trending view; null once erased.
  email_domain text,
  -- Keyed hash of the client address with a daily key (core/throttle.ts addressKey); null once erased.
  ip_hash text,
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  language text not null,
  opt_in boolean not null default false,
  -- SHA-256 of the confirmation token (the token itself is only in the e-mail).
  token_hash bytea,
  token_expires_at timestamptz,
  -- Why a signature never counts. Null: it counts once confirmed.
  flag text check (flag in ('honeypot', 'blocked-domain', 'disposable-domain', 'rate-limited', 'invalidated')),
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  erased_at timestamptz
);
create unique index declaration_signatures_email_idx on declaration_signatures (declaration_id, email_hash);
create unique index declaration_signatures_token_idx on declaration_signatures (token_hash);
create index declaration_signatures_recent_idx on declaration_signatures (declaration_id, created_at);

-- Confirmed signatures (and invalidations, as -1) not yet folded into declaration_counts.
create table declaration_count_deltas (
  id bigserial primary key,
  declaration_id uuid not null references declarations (id) on delete cascade,
  country char(2) not null,
  delta integer not null
);

create table declaration_counts (
  declaration_id uuid not null references declarations (id) on delete cascade,
  country char(2) not null,
  total bigint not null default 0,
  primary key (declaration_id, country)
);

-- Abuse controls an operator tunes while the site runs (one row).
create table declaration_settings (
  id boolean primary key default true check (id),
  burst_max integer not null check (burst_max between 1 and 100000),
  burst_seconds integer not null check (burst_seconds between 1 and 86400),
  sustained_max integer not null check (sustained_max between 1 and 1000000),
  sustained_seconds integer not null check (sustained_seconds between 1 and 86400),
  erase_after_days integer not null check (erase_after_days between 1 and 3650),
  updated_at timestamptz not null default now()
);
insert into declaration_settings (burst_max, burst_seconds, sustained_max, sustained_seconds, erase_after_days)
values (10, 60, 50, 3600, 180);

-- E-mail domains whose signatures are kept but never count.
create table declaration_domain_rules (
  domain text primary key check (domain ~ '^[a-z0-9.-]+$'),
  kind text not null check (kind in ('blocked', 'disposable')),
  added_at timestamptz not null default now()
);
insert into declaration_domain_rules (domain, kind) values
  ('mailinator.com', 'disposable'),
  ('guerrillamail.com', 'disposable'),
  ('10minutemail.com', 'disposable'),
  ('yopmail.com', 'disposable'),
  ('temp-mail.org', 'disposable'),
  ('trashmail.com', 'disposable'),
  ('sharklasers.com', 'disposable'),
  ('throwawaymail.com', 'disposable');

-- The campaign's own declaration, in English and French.
insert into declarations (id, slug, opens_at) values ('6d1c0a52-7f3e-4a8e-9c1b-2f5d7e9a0b11', 'stop-the-traffik', '2026-01-01T00:00:00Z');
insert into declaration_texts (declaration_id, language, title, summary, body) values
  ('6d1c0a52-7f3e-4a8e-9c1b-2f5d7e9a0b11', 'en', 'Stop the traffik: our declaration',
   'People are bought, sold and exploited in every country, often in plain sight. Add your name to say that it must end.',
   'We declare that no person should ever be owned, sold or forced to work or to sell sex.

Trafficking thrives where people look away. We commit to learning the signs, to noticing what happens on our own streets, and to passing what we see to those who can act, safely and without putting anyone at risk.

We ask governments to protect people who have been trafficked, to pursue those who profit from them, and to make companies show that no one was exploited to make what they sell.

We ask businesses to look for forced and child labour in their supply chains and to say openly what they find and what they do about it.

Together, in many places at once, ordinary people can make trafficking harder to hide.'),
  ('6d1c0a52-7f3e-4a8e-9c1b-2f5d7e9a0b11', 'fr', 'Stop the traffik : notre déclaration',
   'Partout dans le monde, des personnes sont achetées, vendues et exploitées, souvent sous nos yeux. Signez pour dire que cela doit cesser.',
   'Nous déclarons que personne ne devrait jamais être possédé, vendu, ni forcé à travailler ou à se prostituer.

La traite prospère là où l’on détourne le regard. Nous nous engageons à en apprendre les signes, à remarquer ce qui se passe dans nos propres rues et à transmettre ce que nous voyons à ceux qui peuvent agir, en sécurité et sans mettre personne en danger.

Nous demandons aux gouvernements de protéger les victimes de la traite, de poursuivre ceux qui en tirent profit et d’obliger les entreprises à prouver que personne n’a été exploité pour fabriquer ce qu’elles vendent.

Nous demandons aux entreprises de rechercher le travail forcé et le travail des enfants dans leurs chaînes d’approvisionnement, et de dire ouvertement ce qu’elles trouvent et ce qu’elles font.

Ensemble, en de nombreux endroits à la fois, des gens ordinaires peuvent rendre la traite plus difficile à cacher.');

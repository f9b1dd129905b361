-- The public map: counts of reports per H3 cell, by exploitation type and year, precomputed by the
-- map.public-refresh job (src/modules/map/public-refresh.ts) so the public route never reads the
-- reports table. Only what may be published is ever written here: every row is a sum of leaf
-- counts (resolution 6 × type × year) that each reached k, over reports older than the delay.
-- A table that holds no suppressed count cannot leak one, whatever a query asks of it.

create table public_map_cells (
  resolution smallint not null check (resolution between 0 and 6),
  cell text not null,
  -- A taxonomy exploitation type, 'unspecified' for reports that named none, or '*' for all types.
  exploitation_type text not null,
  -- The year reports were received, or 0 for all years.
  year smallint not null check (year = 0 or year between 2000 and 2999),
  -- k is at least 5 (config refuses less); the check is a last line should the code regress.
  count integer not null check (count >= 5),
  -- The cell's centre, for the bounding-box search.
  lat real not null,
  lon real not null,
  primary key (resolution, exploitation_type, year, cell)
);
create index public_map_cells_bbox_idx on public_map_cells (resolution, exploitation_type, year, lat, lon);

-- One row: the last refresh, for the page's "reports received up to" line.
create table public_map_state (
  id boolean primary key default true check (id),
  refreshed_at timestamptz not null,
  received_up_to date not null,
  k integer not null
);

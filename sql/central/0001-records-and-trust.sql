-- proofdesk central database, version 1: the desks' record entries, sealed personal copies, published trust data,
-- the roles that reach them, and the two reporting views. Applied by `proofdesk central init` inside one
-- transaction (src/central/migrate.ts), as the role that will own the objects. docs/central.md explains each part.
-- Never edit a migration that has shipped: add the next one (init refuses a database whose applied file differs).

-- Group roles (cluster-wide; created once, reused by every proofdesk database in the cluster). Login roles are
-- made members of them: `proofdesk central desks add` for desks, by hand for readers and officers.
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'proofdesk_desk') THEN
    CREATE ROLE proofdesk_desk NOLOGIN;     -- a kiosk: adds its own entries, reads published trust data
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'proofdesk_reader') THEN
    CREATE ROLE proofdesk_reader NOLOGIN;   -- reporting (a BI tool, a spreadsheet): the two public views only
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'proofdesk_officer') THEN
    CREATE ROLE proofdesk_officer NOLOGIN;  -- the records officer's tools: read, purge, publish; no DDL
  END IF;
END
$roles$;

-- One row: who this organisation's database is (desks tie their shipping cursor to it) and the trust root that
-- `central publish` and `central recheck` verify against.
CREATE TABLE proofdesk.organisation (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  org_id uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  trust_root jsonb
);
INSERT INTO proofdesk.organisation DEFAULT VALUES;

-- Which login role may add entries under which desk id (a role may serve several desks).
CREATE TABLE proofdesk.desks (
  desk_id text PRIMARY KEY CHECK (desk_id ~ '^[\x21-\x7e]([\x20-\x7e]{0,62}[\x21-\x7e])?$'),
  role_name name NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now()
);

-- Every record entry a desk wrote, as written: never updated, removed only by `central purge`. The key is
-- (desk, check, entry number); lines a desk wrote before entries were numbered have no number and are told
-- apart by their hash. Nothing here names a person: see docs/central.md, "What is stored centrally".
CREATE TABLE proofdesk.entries (
  desk_id text NOT NULL CHECK (desk_id ~ '^[\x21-\x7e]([\x20-\x7e]{0,62}[\x21-\x7e])?$'),
  check_id text NOT NULL CHECK (check_id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
  entry_seq bigint CHECK (entry_seq >= 1),
  kind text NOT NULL CHECK (kind IN ('check', 'likeness', 'keep')),
  at timestamptz NOT NULL,
  line_sha256 text NOT NULL CHECK (line_sha256 ~ '^[0-9a-f]{64}$'),
  received_at timestamptz NOT NULL DEFAULT now(),
  -- check lines
  purpose text CHECK (purpose IN ('work', 'rent', 'housing', 'other')),
  verdict text CHECK (verdict IN ('VALID', 'NOT VALID', 'CHECK MANUALLY')),
  outcome text CHECK (length(outcome) <= 64),
  reason text CHECK (length(reason) <= 64),
  kid text CHECK (length(kid) <= 1024),
  credential_sha256 text CHECK (credential_sha256 ~ '^[0-9a-f]{64}$'),
  credential_id text CHECK (length(credential_id) <= 256),
  follow_up_due date,
  status_list_uri text CHECK (length(status_list_uri) <= 2048),
  status_list_idx bigint CHECK (status_list_idx >= 0),
  demo boolean,
  -- check lines (keep-until when written) and keep lines (the new date)
  keep_until date,
  -- likeness lines
  likeness text CHECK (likeness IN ('yes', 'no', 'not-asked')),
  CHECK (kind <> 'check' OR (verdict IS NOT NULL AND credential_sha256 IS NOT NULL AND keep_until IS NOT NULL)),
  CHECK (kind <> 'likeness' OR likeness IS NOT NULL),
  CHECK (kind <> 'keep' OR keep_until IS NOT NULL),
  CHECK ((status_list_uri IS NULL) = (status_list_idx IS NULL)),
  CONSTRAINT entries_once UNIQUE (desk_id, check_id, entry_seq)
);
CREATE UNIQUE INDEX entries_unnumbered_once ON proofdesk.entries (desk_id, check_id, line_sha256) WHERE entry_seq IS NULL;
CREATE INDEX entries_by_check ON proofdesk.entries (check_id);
CREATE INDEX entries_by_time ON proofdesk.entries (at);
CREATE INDEX entries_follow_up ON proofdesk.entries (follow_up_due) WHERE kind = 'check' AND follow_up_due IS NOT NULL;
CREATE INDEX entries_status_list ON proofdesk.entries (status_list_uri, status_list_idx) WHERE status_list_uri IS NOT NULL;

-- The personal copy of a check, sealed on the desk to the organisation's records public key (a compact JWE):
-- only the holder of the private key can open it. Kept beside its check, removed with it.
CREATE TABLE proofdesk.personal_copies (
  desk_id text NOT NULL,
  check_id text NOT NULL,
  jwe text NOT NULL CHECK (length(jwe) <= 1000000),
  key_id text NOT NULL CHECK (length(key_id) <= 128),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (desk_id, check_id)
);

-- Root-signed bundles and status lists, byte for byte: already signed, so the database only carries them.
CREATE TABLE proofdesk.trust_files (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('bundle', 'status-list')),
  uri text,
  seq bigint,
  issued_at timestamptz NOT NULL,
  sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  body bytea NOT NULL CHECK (octet_length(body) <= 4194304),
  published_at timestamptz NOT NULL DEFAULT now(),
  published_by name NOT NULL DEFAULT current_user,
  CHECK ((kind = 'bundle') = (seq IS NOT NULL)),
  CHECK ((kind = 'status-list') = (uri IS NOT NULL))
);

-- May the connected login role add entries under this desk id? SECURITY DEFINER so a desk needs no read access
-- to the desks table; session_user is the login role whatever the function runs as.
CREATE FUNCTION proofdesk.may_add(p_desk_id text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ SELECT EXISTS (SELECT 1 FROM proofdesk.desks WHERE desk_id = p_desk_id AND role_name = session_user) $$;
REVOKE ALL ON FUNCTION proofdesk.may_add(text) FROM PUBLIC;

-- The outcome of a check from its verdict and the clerk's photo answer, for lines written before desks recorded
-- the outcome themselves (the same table as the desk's: VALID + yes = CONFIRMED, and so on).
CREATE FUNCTION proofdesk.outcome_of(p_verdict text, p_likeness text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE
    WHEN p_verdict = 'NOT VALID' THEN 'NOT_VALID'
    WHEN p_likeness = 'no' THEN 'PHOTO_MISMATCH'
    WHEN p_verdict = 'CHECK MANUALLY' THEN 'CHECK_MANUALLY'
    WHEN p_likeness = 'yes' THEN 'CONFIRMED'
    WHEN p_likeness = 'not-asked' THEN 'PHOTO_NOT_CHECKED'
    ELSE 'PHOTO_PENDING' END $$;

-- Row-level security: a desk may add rows only under the desk ids its role was given; the officer sees all.
-- The owner (the role that ran init) is not subject to it, so a small office may run every desk as the owner.
ALTER TABLE proofdesk.entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE proofdesk.personal_copies ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_adds_own ON proofdesk.entries FOR INSERT TO proofdesk_desk WITH CHECK (proofdesk.may_add(desk_id));
CREATE POLICY desk_adds_own ON proofdesk.personal_copies FOR INSERT TO proofdesk_desk WITH CHECK (proofdesk.may_add(desk_id));
CREATE POLICY officer_all ON proofdesk.entries FOR ALL TO proofdesk_officer USING (true) WITH CHECK (true);
CREATE POLICY officer_all ON proofdesk.personal_copies FOR ALL TO proofdesk_officer USING (true) WITH CHECK (true);

-- Reporting views, in public so a BI tool finds them. One row per check, and one per entry.
CREATE VIEW public.proofdesk_checks AS
SELECT c.desk_id, c.check_id, c.at AS checked_at, c.purpose, c.verdict,
  coalesce(l.outcome, c.outcome, proofdesk.outcome_of(c.verdict, l.likeness)) AS outcome,
  c.reason, l.likeness, h.history AS likeness_history, coalesce(h.answers, 0) AS likeness_answers,
  c.follow_up_due, greatest(c.keep_until, k.until) AS keep_until,
  c.kid, c.credential_sha256, c.credential_id, c.status_list_uri, c.status_list_idx, coalesce(c.demo, false) AS demo,
  (p.check_id IS NOT NULL) AS has_personal_copy, c.entry_seq, c.received_at
FROM proofdesk.entries c
LEFT JOIN LATERAL (
  SELECT e.likeness, e.outcome FROM proofdesk.entries e
  WHERE e.desk_id = c.desk_id AND e.check_id = c.check_id AND e.kind = 'likeness'
  ORDER BY e.entry_seq DESC NULLS LAST, e.at DESC LIMIT 1
) l ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS answers, string_agg(e.likeness, ' -> ' ORDER BY e.entry_seq NULLS FIRST, e.at) AS history
  FROM proofdesk.entries e
  WHERE e.desk_id = c.desk_id AND e.check_id = c.check_id AND e.kind = 'likeness'
) h ON true
LEFT JOIN LATERAL (
  SELECT max(e.keep_until) AS until FROM proofdesk.entries e
  WHERE e.desk_id = c.desk_id AND e.check_id = c.check_id AND e.kind = 'keep'
) k ON true
LEFT JOIN proofdesk.personal_copies p ON p.desk_id = c.desk_id AND p.check_id = c.check_id
WHERE c.kind = 'check';

CREATE VIEW public.proofdesk_entries AS
SELECT desk_id, check_id, entry_seq, kind, at, received_at, purpose, verdict, outcome, reason, likeness,
  follow_up_due, keep_until, line_sha256
FROM proofdesk.entries;

-- Privileges. Nothing for PUBLIC. A desk: its schema, its insert columns, published trust data, who the
-- organisation is. It cannot SELECT, UPDATE or DELETE a record entry, nor read a personal copy.
REVOKE ALL ON ALL TABLES IN SCHEMA proofdesk FROM PUBLIC;
REVOKE ALL ON public.proofdesk_checks, public.proofdesk_entries FROM PUBLIC;
GRANT USAGE ON SCHEMA proofdesk TO proofdesk_desk, proofdesk_officer;
GRANT INSERT (desk_id, check_id, entry_seq, kind, at, line_sha256, purpose, verdict, outcome, reason, kid, credential_sha256,
  credential_id, follow_up_due, status_list_uri, status_list_idx, demo, keep_until, likeness) ON proofdesk.entries TO proofdesk_desk;
GRANT INSERT (desk_id, check_id, jwe, key_id) ON proofdesk.personal_copies TO proofdesk_desk;
GRANT SELECT (id, kind, uri, seq, issued_at, sha256, body, published_at) ON proofdesk.trust_files TO proofdesk_desk;
GRANT SELECT (org_id) ON proofdesk.organisation TO proofdesk_desk;
GRANT SELECT (version) ON proofdesk.schema_migrations TO proofdesk_desk, proofdesk_officer;
GRANT EXECUTE ON FUNCTION proofdesk.may_add(text) TO proofdesk_desk;
GRANT SELECT ON public.proofdesk_checks, public.proofdesk_entries TO proofdesk_reader, proofdesk_officer;
GRANT SELECT, DELETE ON proofdesk.entries, proofdesk.personal_copies TO proofdesk_officer;
GRANT SELECT ON proofdesk.desks, proofdesk.organisation TO proofdesk_officer;
GRANT UPDATE (trust_root) ON proofdesk.organisation TO proofdesk_officer;
GRANT SELECT, INSERT ON proofdesk.trust_files TO proofdesk_officer;
GRANT USAGE ON SEQUENCE proofdesk.trust_files_id_seq TO proofdesk_officer;

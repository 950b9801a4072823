-- proofdesk central database, version 2: whether a check looked the code up in its issuer's status list
-- (`revocation`: 'checked', or 'not-checked' when the desk held keys only, so a revoked code would still have shown
-- VALID), as the desk's check line says it; null where there was nothing to say and on entries shipped before.
-- Appended as the last column of proofdesk_checks: CREATE OR REPLACE VIEW may add columns only at the end.

ALTER TABLE proofdesk.entries
  ADD COLUMN revocation text CHECK (revocation IN ('checked', 'not-checked')),
  ADD CONSTRAINT entries_revocation_on_checks CHECK (kind = 'check' OR revocation IS NULL);

GRANT INSERT (revocation) ON proofdesk.entries TO proofdesk_desk;

CREATE OR REPLACE VIEW public.proofdesk_checks AS
SELECT c.desk_id, c.check_id, c.at AS checked_at, c.purpose, c.verdict,
  coalesce(l.outcome, c.outcome, proofdesk.outcome_of(c.verdict, l.likeness)) AS outcome,
  c.reason, l.likeness, h.history AS likeness_history, coalesce(h.answers, 0) AS likeness_answers,
  c.follow_up_due, greatest(c.keep_until, k.until) AS keep_until,
  c.kid, c.credential_sha256, c.credential_id, c.status_list_uri, c.status_list_idx, coalesce(c.demo, false) AS demo,
  (p.check_id IS NOT NULL) AS has_personal_copy, c.entry_seq, c.received_at, c.revocation
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

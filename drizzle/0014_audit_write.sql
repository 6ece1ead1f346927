-- A request's audit entries written by one call (src/auth/audit.ts) instead of the INSERT sent as text:
-- PL/pgSQL keeps the statement's plan for the session, and planning it (each entry's household found
-- from its subject) cost more than running it for a page's few dozen entries.
CREATE FUNCTION audit_write(p_request_id text, p_actor text, p_role text, p_entries jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (request_id, actor, role, action, household_id, subject, agencies, purpose, detail)
  SELECT p_request_id, p_actor, p_role, e.action,
         coalesce(e.household_id,
                  CASE WHEN e.unit THEN (SELECT t.household_id FROM tenancies t WHERE t.unit_id = e.subject::integer AND t.end_date IS NULL LIMIT 1)
                       ELSE (SELECT p.household_id FROM persons p WHERE p.resident_id = e.subject
                             ORDER BY p.left_on IS NULL DESC, p.id DESC LIMIT 1) END),
         e.subject, e.agencies, e.purpose, e.detail
  FROM jsonb_to_recordset(p_entries)
    AS e(action text, household_id integer, subject text, agencies jsonb, purpose text, detail jsonb, unit boolean);
END $$;

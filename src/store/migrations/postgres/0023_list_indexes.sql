-- Issue 17: the audit log's filters at a million rows. Each filter with the scope (a range of
-- organisation_path) is one index range, so that counting its matches up to the list's bound
-- (store::kCountBound) reads index entries only, and a sparse filter's page sorts at most that
-- many rows; a dense filter's page walks the log newest first (store.cpp, Tx::audit).
CREATE INDEX audit_log_scope ON audit_log (organisation_path, id);
CREATE INDEX audit_log_action ON audit_log (action, organisation_path, id);
CREATE INDEX audit_log_username ON audit_log (username, organisation_path, id);
CREATE INDEX audit_log_entity_scope ON audit_log (entity, organisation_path, id);

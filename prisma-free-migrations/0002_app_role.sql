-- The app runs as `signoff_app`, a role that owns nothing: it can read and write the
-- tables but cannot UPDATE, DELETE or TRUNCATE the event log, nor disable its triggers
-- (only the owner can). Migrations keep running as the connecting (owner) user.
-- Where the connecting user may not create roles (some managed databases), the role is
-- skipped and the append-only triggers alone guard the log.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'signoff_app')
     AND (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
    CREATE ROLE signoff_app NOLOGIN;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'signoff_app') THEN
    EXECUTE format('GRANT signoff_app TO %I', current_user);
    GRANT USAGE ON SCHEMA public TO signoff_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO signoff_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO signoff_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON ticket_events FROM signoff_app;
    -- Tables of later migrations get the same grants; an append-only table revokes its own.
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO signoff_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO signoff_app;
  END IF;
END $$;

REVOKE UPDATE, DELETE, TRUNCATE ON ticket_events FROM PUBLIC;
CREATE TRIGGER ticket_events_no_truncate BEFORE TRUNCATE ON ticket_events
  FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_append_only();

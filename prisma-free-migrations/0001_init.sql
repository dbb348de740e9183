-- Users, sessions, versioned templates, tickets with their steps, decisions and the
-- per-ticket ordered event log (outbox and audit trail at once).

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('requester', 'approver', 'admin')),
  manager_id    uuid REFERENCES users(id) ON DELETE SET NULL,
  password_hash text,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_lower CHECK (email = lower(email)),
  CONSTRAINT users_not_own_manager CHECK (manager_id IS NULL OR manager_id <> id)
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash  text NOT NULL UNIQUE,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE templates (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key         text NOT NULL,
  version     integer NOT NULL CHECK (version > 0),
  definition  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key, version)
);

CREATE TABLE tickets (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  template_id   uuid NOT NULL REFERENCES templates(id),
  title         text NOT NULL,
  fields        jsonb NOT NULL,
  requester_id  uuid NOT NULL REFERENCES users(id),
  status        text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  seq           integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_requester_idx ON tickets (requester_id, updated_at DESC);

CREATE TABLE ticket_steps (
  id             uuid PRIMARY KEY,
  ticket_id      uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  position       integer NOT NULL,
  key            text NOT NULL,
  name           jsonb NOT NULL,
  mode           text NOT NULL,
  status         text NOT NULL CHECK (status IN ('waiting', 'active', 'approved', 'rejected', 'skipped', 'returned')),
  approver_ids   uuid[] NOT NULL,
  decided_by     uuid REFERENCES users(id),
  decision       text CHECK (decision IN ('approve', 'reject')),
  decided_at     timestamptz,
  comment        text,
  UNIQUE (ticket_id, position)
);
CREATE INDEX ticket_steps_approvers_idx ON ticket_steps USING gin (approver_ids);
CREATE INDEX ticket_steps_active_idx ON ticket_steps (ticket_id) WHERE status = 'active';

CREATE TABLE decisions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id   uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  step_id     uuid NOT NULL REFERENCES ticket_steps(id) ON DELETE CASCADE,
  actor_id    uuid NOT NULL REFERENCES users(id),
  decision    text NOT NULL CHECK (decision IN ('approve', 'reject')),
  comment     text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- one decision per person per step: a second one is a race loser, never a row
  UNIQUE (step_id, actor_id)
);

CREATE TABLE ticket_events (
  id          bigserial PRIMARY KEY,
  ticket_id   uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  seq         integer NOT NULL CHECK (seq > 0),
  type        text NOT NULL,
  actor_id    uuid REFERENCES users(id),
  at          timestamptz NOT NULL DEFAULT now(),
  comment     text,
  payload     jsonb NOT NULL,
  UNIQUE (ticket_id, seq)
);

-- The event log is append-only: the audit trail must not be rewritten.
CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();

-- Richer approval semantics: one task per person per step (modes all/any/sequential/
-- quorum, transfers, added signers), returned/withdrawn tickets, delegation, CC, and
-- database-backed timers for deadlines.

ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check
  CHECK (status IN ('pending', 'approved', 'rejected', 'returned', 'withdrawn'));

ALTER TABLE ticket_steps
  ADD COLUMN quorum integer CHECK (quorum IS NULL OR quorum > 0),
  ADD COLUMN round integer NOT NULL DEFAULT 0,
  ADD COLUMN skip_reason text CHECK (skip_reason IN ('condition', 'requester', 'rejected', 'withdrawn'));
ALTER TABLE ticket_steps ADD CONSTRAINT ticket_steps_mode_check CHECK (mode IN ('single', 'all', 'any', 'sequential', 'quorum'));

CREATE TABLE ticket_tasks (
  id            text PRIMARY KEY,              -- engine id: <step id>:<round>:<n>
  ticket_id     uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  step_id       uuid NOT NULL REFERENCES ticket_steps(id) ON DELETE CASCADE,
  assignee_id   uuid NOT NULL REFERENCES users(id),
  on_behalf_of  uuid REFERENCES users(id),
  added_by      uuid REFERENCES users(id),
  status        text NOT NULL CHECK (status IN ('waiting', 'active', 'approved', 'rejected', 'returned', 'closed', 'transferred')),
  decided_at    timestamptz,
  comment       text,
  ord           integer NOT NULL,
  slot          integer NOT NULL,
  auto          text CHECK (auto IN ('requester', 'dedupe'))
);
CREATE INDEX ticket_tasks_step_idx ON ticket_tasks (step_id, ord);
CREATE INDEX ticket_tasks_active_idx ON ticket_tasks (assignee_id) WHERE status = 'active';
CREATE INDEX ticket_tasks_people_idx ON ticket_tasks (ticket_id, assignee_id);

-- Tasks for the steps written before tasks existed: one per approver, state read off the step.
INSERT INTO ticket_tasks (id, ticket_id, step_id, assignee_id, status, decided_at, comment, ord, slot)
SELECT s.id || ':0:' || (a.n - 1), s.ticket_id, s.id, a.approver,
       CASE
         WHEN s.status IN ('waiting', 'active') THEN s.status
         WHEN s.status IN ('approved', 'rejected') AND a.approver = s.decided_by THEN s.status
         ELSE 'closed'
       END,
       CASE WHEN a.approver = s.decided_by THEN s.decided_at END,
       CASE WHEN a.approver = s.decided_by THEN s.comment END,
       a.n - 1, a.n - 1
  FROM ticket_steps s, unnest(s.approver_ids) WITH ORDINALITY AS a(approver, n);

DROP INDEX ticket_steps_approvers_idx;
ALTER TABLE ticket_steps DROP COLUMN approver_ids;

-- A decision belongs to a task: with rounds (return, resubmit) one person may decide a step again.
ALTER TABLE decisions ADD COLUMN task_id text REFERENCES ticket_tasks(id) ON DELETE CASCADE;
UPDATE decisions d SET task_id = t.id FROM ticket_tasks t WHERE t.step_id = d.step_id AND t.assignee_id = d.actor_id;
ALTER TABLE decisions DROP CONSTRAINT decisions_step_id_actor_id_key;
ALTER TABLE decisions ADD CONSTRAINT decisions_task_key UNIQUE (task_id);

-- Out-of-office: new tasks go to the delegate between the two days (inclusive).
CREATE TABLE delegations (
  user_id      uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  delegate_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  starts_on    date NOT NULL,
  ends_on      date NOT NULL,
  CHECK (starts_on <= ends_on),
  CHECK (delegate_id <> user_id)
);

-- 抄送: users copied on a ticket when it starts or finishes; they may view it.
CREATE TABLE ticket_cc (
  ticket_id  uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  at_stage   text NOT NULL CHECK (at_stage IN ('start', 'finish')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, user_id, at_stage)
);
CREATE INDEX ticket_cc_user_idx ON ticket_cc (user_id);

-- Timers live here so they survive restarts; a due timer is claimed with
-- FOR UPDATE SKIP LOCKED and marked fired in the transaction that acts on it, so it
-- fires exactly once however many instances poll.
CREATE TABLE timers (
  id         bigserial PRIMARY KEY,
  kind       text NOT NULL,
  ticket_id  uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  step_id    uuid REFERENCES ticket_steps(id) ON DELETE CASCADE,
  task_id    text,
  due_at     timestamptz NOT NULL,
  fired_at   timestamptz,
  cancelled_at timestamptz,
  payload    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX timers_due_idx ON timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;

// Versioned schema. Each entry runs once, in order, inside a transaction; PRAGMA user_version records the
// last one applied. Never edit a shipped migration: append a new one.
export const MIGRATIONS: string[] = [
  /* 1: units, people, roles, chats, forms data, sessions, outbox */ `
  CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province','district','commune','area')),
    parent_code TEXT REFERENCES units(code)
  );
  CREATE INDEX units_parent ON units(parent_code);

  CREATE TABLE people (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    username TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, user_id)
  );

  CREATE TABLE roles (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reporter','commune_staff','officer','admin')),
    unit_code TEXT NOT NULL REFERENCES units(code),
    granted_at TEXT NOT NULL,
    granted_by TEXT,
    revoked_at TEXT,
    revoked_by TEXT
  );
  CREATE INDEX roles_person ON roles(platform, user_id) WHERE revoked_at IS NULL;
  CREATE INDEX roles_unit ON roles(unit_code) WHERE revoked_at IS NULL;

  CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units(code),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT
  );

  CREATE TABLE chats (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units(code),
    title TEXT,
    linked_by TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id)
  );
  CREATE INDEX chats_unit ON chats(unit_code);

  CREATE TABLE processed_updates (
    platform TEXT NOT NULL,
    update_key TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (platform, update_key)
  ) WITHOUT ROWID;

  CREATE TABLE sessions (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    state_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id, user_id)
  );

  CREATE TABLE answers (
    unit_code TEXT NOT NULL REFERENCES units(code),
    form_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    field_id TEXT NOT NULL,
    value_json TEXT,            -- NULL: skipped on purpose
    updated_by TEXT NOT NULL,   -- platform:user_id
    updated_at TEXT NOT NULL,
    PRIMARY KEY (unit_code, form_id, period_key, field_id)
  ) WITHOUT ROWID;

  CREATE TABLE answer_history (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    form_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    field_id TEXT NOT NULL,
    old_json TEXT,
    new_json TEXT,
    by_person TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL,
    source TEXT NOT NULL        -- 'edit' after completion, 'staff' when staff corrected it
  );
  CREATE INDEX answer_history_unit ON answer_history(unit_code, form_id, period_key);

  CREATE TABLE submissions (
    unit_code TEXT NOT NULL REFERENCES units(code),
    form_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_progress','completed','reopened')),
    started_at TEXT NOT NULL,
    completed_at TEXT,
    completed_by TEXT,
    version INTEGER NOT NULL DEFAULT 0,   -- bumps on each completion; one draft per version
    PRIMARY KEY (unit_code, form_id, period_key)
  ) WITHOUT ROWID;

  CREATE TABLE open_periods (
    unit_code TEXT NOT NULL,
    form_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    PRIMARY KEY (unit_code, form_id)
  );

  CREATE TABLE private_links (
    token TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    group_chat_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
  );

  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,  -- epoch ms
    paced INTEGER NOT NULL DEFAULT 1,       -- 0 for button acknowledgements, which are not chat messages
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    message_id TEXT,
    error TEXT
  );
  CREATE INDEX outbox_queue ON outbox(platform, chat_id, id) WHERE status IN ('pending','sending');
  CREATE INDEX outbox_chat_sent ON outbox(platform, chat_id, sent_at) WHERE paced = 1;

  CREATE TABLE bot_messages (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    owner_user_id TEXT,
    purpose TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id)
  ) WITHOUT ROWID;
  `,
  /* 2: review of area reports, yearly targets, scheduled reminders and pings */ `
  CREATE TABLE reviews (
    unit_code TEXT NOT NULL REFERENCES units(code),
    form_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('accepted','returned')),
    reason TEXT,
    by_person TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (unit_code, form_id, period_key)
  ) WITHOUT ROWID;

  CREATE TABLE targets (
    unit_code TEXT NOT NULL REFERENCES units(code),
    form_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    field_id TEXT NOT NULL,
    value REAL NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (unit_code, form_id, year, field_id)
  ) WITHOUT ROWID;

  CREATE TABLE reminder_jobs (
    unit_code TEXT NOT NULL REFERENCES units(code),  -- the commune the reminder is about
    form_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    step TEXT NOT NULL,                               -- which schedule entry of the form
    due_at INTEGER NOT NULL,                          -- epoch ms, already moved out of quiet hours
    fired_at INTEGER,
    PRIMARY KEY (unit_code, form_id, period_key, step)
  ) WITHOUT ROWID;
  CREATE INDEX reminder_jobs_due ON reminder_jobs(due_at) WHERE fired_at IS NULL;

  CREATE TABLE pings (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    period_key TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX pings_person ON pings(platform, user_id, at);

  -- Aggregation reads whole periods across many units.
  CREATE INDEX answers_period ON answers(form_id, period_key);
  CREATE INDEX submissions_period ON submissions(form_id, period_key);
  `,
  /* file links: report drafts served over HTTP to platforms that cannot send files (Zalo) */ `
  CREATE TABLE file_links (
    token TEXT PRIMARY KEY,            -- unguessable, part of the URL
    filename TEXT NOT NULL,            -- ASCII fallback name
    display_name TEXT NOT NULL,        -- Vietnamese name (RFC 5987 filename*)
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL,       -- epoch ms
    expires_at INTEGER NOT NULL        -- epoch ms; refused (410) afterwards
  );
  CREATE INDEX file_links_expiry ON file_links(expires_at);
  `,
  /* who may do what: second leaders wait for staff; every link of a group to a unit is recorded */ `
  CREATE TABLE registration_requests (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units(code),
    chat_id TEXT NOT NULL,             -- the group it was asked in; the answer is told there
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','refused')),
    reason TEXT,
    decided_by TEXT,                   -- platform:user_id
    decided_by_name TEXT,
    decided_at TEXT
  );
  CREATE INDEX registration_requests_pending ON registration_requests(id) WHERE status = 'pending';

  CREATE TABLE chat_link_log (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    old_unit TEXT,                     -- NULL for a group's first link
    new_unit TEXT NOT NULL,
    by_person TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX chat_link_log_chat ON chat_link_log(platform, chat_id);
  CREATE INDEX sessions_user ON sessions(platform, user_id);
  `,
  /* full names: the signer of an area's drafts when the chat name is a nickname */ `
  ALTER TABLE people ADD COLUMN full_name TEXT;
  ALTER TABLE people ADD COLUMN full_name_asked_at TEXT;
  `,
  /* web view: personal, expiring, revocable links of staff and officers (only a hash of the token is kept) */ `
  CREATE TABLE web_links (
    token_hash TEXT PRIMARY KEY,       -- SHA-256 of the token, hex; the token itself is only in the person's chat
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,       -- epoch ms
    expires_at INTEGER NOT NULL,       -- epoch ms
    revoked_at INTEGER                 -- epoch ms; set by /web tat or by a newer /web
  );
  CREATE INDEX web_links_person ON web_links(platform, user_id);
  `,
  /* operations: updates parked after failing, chats the bot can no longer reach, outbox claims and drops */ `
  CREATE TABLE parked_updates (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    update_key TEXT NOT NULL,
    raw_json TEXT NOT NULL,             -- the update as the platform sent it, for the operator to read
    event_json TEXT,                    -- the neutral event a retry hands to the core again
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    parked_at INTEGER NOT NULL,         -- epoch ms
    resolved_at INTEGER,
    resolution TEXT CHECK (resolution IN ('handled','dropped'))
  );
  CREATE UNIQUE INDEX parked_updates_open ON parked_updates(platform, update_key) WHERE resolved_at IS NULL;

  CREATE TABLE chat_status (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active','gone')),
    reason TEXT,                        -- why the bot cannot write there ('kicked', 'blocked', 'not_found', …)
    changed_at TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id)
  ) WITHOUT ROWID;

  -- The outbox gains 'dropped' (a chat the bot was removed from) and the drainer that claimed a row.
  CREATE TABLE outbox_v4 (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','dropped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,
    paced INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    message_id TEXT,
    error TEXT,
    claimed_by TEXT
  );
  INSERT INTO outbox_v4 (id, platform, chat_id, payload_json, status, attempts, not_before, paced, created_at, sent_at, message_id, error)
    SELECT id, platform, chat_id, payload_json, status, attempts, not_before, paced, created_at, sent_at, message_id, error FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_v4 RENAME TO outbox;
  CREATE INDEX outbox_queue ON outbox(platform, chat_id, id) WHERE status IN ('pending','sending');
  CREATE INDEX outbox_chat_sent ON outbox(platform, chat_id, sent_at) WHERE paced = 1;
  `,
  /* questions: what each question asked, so a late reply or button press finds its own question */ `
  ALTER TABLE bot_messages ADD COLUMN question_json TEXT;   -- the Outgoing.question of a question, as JSON
  ALTER TABLE bot_messages ADD COLUMN resent INTEGER NOT NULL DEFAULT 0;  -- 1: an earlier send may have arrived unrecorded
  `,
  /* chart photos: a row may become several chat messages (the chart, its text, the draft), all counted by the pace */ `
  ALTER TABLE outbox ADD COLUMN messages INTEGER NOT NULL DEFAULT 1;
  `,
  /* one report key: sessions and queued drafts name their report as { unit, form, period } (no schema change) */ `
  UPDATE sessions
     SET state_json = json_remove(
           json_set(state_json, '$.report', json_object(
             'unit', json_extract(state_json, '$.unit'),
             'form', json_extract(state_json, '$.form'),
             'period', json_extract(state_json, '$.period'))),
           '$.unit', '$.form', '$.period')
   WHERE json_extract(state_json, '$.mode') IN ('form', 'edit_choose', 'edit_value')
     AND json_type(state_json, '$.report') IS NULL;
  UPDATE outbox
     SET payload_json = json_remove(
           json_set(payload_json, '$.document.report', json_object(
             'unit', json_extract(payload_json, '$.document.unit'),
             'form', json_extract(payload_json, '$.document.form'),
             'period', json_extract(payload_json, '$.document.period'))),
           '$.document.unit', '$.document.form', '$.document.period')
   WHERE json_type(payload_json, '$.document') = 'object'
     AND json_type(payload_json, '$.document.report') IS NULL;
  `,
  /* reminders per report kind: a ping records its form, so one kind's reminder does not silence another's */ `
  ALTER TABLE pings ADD COLUMN form_id TEXT;   -- NULL for pings recorded before: they count for every form
  `,
  /* exempt units: staff excuse a unit from one report with a reason; rows are kept when lifted (the audit trail) */ `
  CREATE TABLE exemptions (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units(code),
    form_id TEXT NOT NULL,
    period_key TEXT NOT NULL,             -- a period of the form's own kind, e.g. '2026-M11'
    reason TEXT NOT NULL,
    by_person TEXT NOT NULL,              -- 'platform:user_id' of who granted it
    by_name TEXT NOT NULL,
    at TEXT NOT NULL,
    lifted_at TEXT,                       -- NULL while in force
    lifted_by_person TEXT,
    lifted_by_name TEXT
  );
  CREATE UNIQUE INDEX exemptions_in_force ON exemptions(unit_code, form_id, period_key) WHERE lifted_at IS NULL;
  CREATE INDEX exemptions_period ON exemptions(form_id, period_key) WHERE lifted_at IS NULL;
  `,
  /* rounds: named periods staff open for a form (key "R<id>"), for a commune or a unit above it */ `
  CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    form_id TEXT NOT NULL,
    unit_code TEXT NOT NULL,   -- opened for this unit and every commune below it
    name TEXT NOT NULL,
    start_date TEXT NOT NULL,  -- local YYYY-MM-DD, inclusive
    end_date TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_by_name TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT
  );
  CREATE INDEX rounds_by_form ON rounds (form_id, unit_code);
  `,
  /* totals kept up to date: per unit above the reporting units, form, period and variant, moved by every change */ `
  CREATE TABLE tallies (
    unit_code TEXT NOT NULL,
    form_id TEXT NOT NULL,
    period_key TEXT NOT NULL,
    variant TEXT NOT NULL,              -- 'all', or a like-with-like pair: 'prev_cur', 'prev_old', 'year_cur', 'year_old'
    tally_json TEXT NOT NULL,           -- { units, complete, states, sums, counts, yes } (src/core/aggregate/tally.ts)
    PRIMARY KEY (unit_code, form_id, period_key, variant)
  ) WITHOUT ROWID;

  -- How many units of each level lie under a unit (the expected reporting units), rebuilt with the tree.
  CREATE TABLE unit_reach (
    unit_code TEXT NOT NULL,
    level TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (unit_code, level)
  ) WITHOUT ROWID;

  -- 'built': the tallies were rebuilt from the answers at least once; 'stale': a unit moved, rebuild them.
  CREATE TABLE totals_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  /* the outbox's callback answers: found without walking every queued row while the platform's pace is spent */ `
  CREATE INDEX outbox_unpaced ON outbox(id) WHERE status IN ('pending','sending') AND paced = 0;
  `,
  /* the per-chat pace reads sent rows only: a queued reply no longer writes a page of its index */ `
  DROP INDEX outbox_chat_sent;
  CREATE INDEX outbox_chat_sent ON outbox(platform, chat_id, sent_at) WHERE paced = 1 AND sent_at IS NOT NULL;
  -- Every read of answers names its unit (the primary key): the index by form and period only cost a page a save.
  DROP INDEX answers_period;
  `,
];

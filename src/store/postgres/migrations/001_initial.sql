-- The first schema of the bot's PostgreSQL store. Applied by src/store/postgres/migrate.ts (node-pg-migrate) at
-- start-up, in one transaction, under an advisory lock: instances starting together wait for each other.
-- Never edit a migration that has shipped: add the next numbered file.

-- Up Migration

-- DocumentStore: conversation state and other small documents, with the eTag that makes writes optimistic.
-- `json` (not jsonb) keeps a document exactly as written, including characters jsonb refuses (U+0000).
-- COLLATE "C": keys compare byte by byte, so prefix ranges and the listing order are the same everywhere.
CREATE TABLE bot_documents (
  key text COLLATE "C" PRIMARY KEY,
  etag text NOT NULL,
  body json NOT NULL,
  written_at timestamptz NOT NULL
);
CREATE INDEX bot_documents_written_at ON bot_documents (written_at);

-- RecordLog: feedback, unanswered questions, escalations, handoffs, the staff audit log. Appended, amended by
-- staff, purged by age; newest first by (at, seq).
CREATE TABLE bot_records (
  seq bigserial PRIMARY KEY,
  kind text NOT NULL,
  at timestamptz NOT NULL,
  fields jsonb NOT NULL
);
CREATE INDEX bot_records_kind_at ON bot_records (kind, at DESC, seq DESC);
CREATE INDEX bot_records_at ON bot_records (at DESC, seq DESC);
CREATE INDEX bot_records_fields ON bot_records USING gin (fields jsonb_path_ops);

-- The built-in Direct Line, shared by every instance: a conversation, its transcript and its watermark (seq).
CREATE TABLE directline_conversations (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  created_at timestamptz NOT NULL,
  last_active_at timestamptz NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0
);
CREATE INDEX directline_conversations_last_active ON directline_conversations (last_active_at);

CREATE TABLE directline_activities (
  conversation_id text NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  activity_id text NOT NULL,
  at timestamptz NOT NULL,
  activity json NOT NULL,
  bytes integer NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX directline_activities_activity_id ON directline_activities (conversation_id, activity_id);

-- express-rate-limit counters shared by every instance. UNLOGGED: no write-ahead log for counters that live a
-- minute (a database crash resets them, which only forgives a minute of requests).
CREATE UNLOGGED TABLE rate_limit_hits (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  reset_at timestamptz NOT NULL
);
CREATE INDEX rate_limit_hits_reset_at ON rate_limit_hits (reset_at);

-- Trained intent models: the newest usable one is what every instance answers with; a new row is announced
-- with NOTIFY bot_model so running instances load it.
CREATE TABLE nlu_models (
  id bigserial PRIMARY KEY,
  format integer NOT NULL,
  training_hash text NOT NULL,
  config_hash text NOT NULL,
  model json NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);

-- Down Migration
DROP TABLE nlu_models;
DROP TABLE rate_limit_hits;
DROP TABLE directline_activities;
DROP TABLE directline_conversations;
DROP TABLE bot_records;
DROP TABLE bot_documents;

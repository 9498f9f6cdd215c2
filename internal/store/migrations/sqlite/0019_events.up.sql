-- Events (路演/对接会, issue 9 item 4): registrations, the achievements
-- pitched, the intentions (意向) signed and the enterprises served
-- (服务企业家次). Counts are computed from the rows, never stored.
CREATE TABLE tech_events (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  date TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  chain_code TEXT NOT NULL DEFAULT '',
  capacity BIGINT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  organiser_org_id BIGINT NOT NULL REFERENCES orgs (id),
  status TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX tech_events_date ON tech_events (date, id);
CREATE INDEX tech_events_organiser ON tech_events (organiser_org_id, date);

-- One registration per organisation and event; the capacity is held by a
-- conditional insert under the event row's lock.
CREATE TABLE event_registrations (
  id INTEGER PRIMARY KEY,
  event_id BIGINT NOT NULL REFERENCES tech_events (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  contact TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  user_id BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (event_id, org_id)
);
CREATE INDEX event_registrations_org ON event_registrations (org_id, event_id);

-- An achievement once per event's programme.
CREATE TABLE event_pitches (
  event_id BIGINT NOT NULL REFERENCES tech_events (id),
  achievement_id BIGINT NOT NULL REFERENCES achievements (id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (event_id, achievement_id)
);
CREATE INDEX event_pitches_achievement ON event_pitches (achievement_id);

-- Intentions signed at an event: an enterprise and an achievement (its
-- owner), once per event, achievement and enterprise.
CREATE TABLE event_intentions (
  id INTEGER PRIMARY KEY,
  event_id BIGINT NOT NULL REFERENCES tech_events (id),
  achievement_id BIGINT NOT NULL REFERENCES achievements (id),
  enterprise_org_id BIGINT NOT NULL REFERENCES orgs (id),
  owner_org_id BIGINT NOT NULL REFERENCES orgs (id),
  signed_on TEXT NOT NULL,
  mode TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  recorded_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (event_id, achievement_id, enterprise_org_id)
);
CREATE INDEX event_intentions_signed ON event_intentions (signed_on);
CREATE INDEX event_intentions_achievement ON event_intentions (achievement_id);
CREATE INDEX event_intentions_enterprise ON event_intentions (enterprise_org_id);
CREATE INDEX event_intentions_owner ON event_intentions (owner_org_id);

-- 服务企业家次: one record per enterprise served per event.
CREATE TABLE event_services (
  id INTEGER PRIMARY KEY,
  event_id BIGINT NOT NULL REFERENCES tech_events (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  kind TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  recorded_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (event_id, org_id)
);

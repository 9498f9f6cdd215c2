-- API tokens get a scope (read: safe methods only; write: like the owner)
-- and an optional expiry (empty: until revoked). Tokens made before keep
-- what they could do: read-write, no expiry.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';

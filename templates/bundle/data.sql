-- @table users
-- @reasoning User 1 is the signed-in user.
INSERT INTO users (id, name, created_at) VALUES (1, 'Current User', datetime('now', '-30 days'));

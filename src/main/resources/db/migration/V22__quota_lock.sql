-- The one row a store under a quota locks before it counts the usage (security.Quotas#admit): each such store counts
-- what the stores before it committed, so that two racing requests cannot both take a quota's last unit.
CREATE TABLE quota_lock (id INT PRIMARY KEY);
INSERT INTO quota_lock (id) VALUES (1);

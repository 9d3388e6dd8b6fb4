-- ASP.NET Core data-protection keys (auth cookies, practice tickets). Kept in PostgreSQL so that every app node behind
-- the load balancer reads the same key ring, and a restart does not sign everyone out.
CREATE TABLE data_protection_keys (
    friendly_name text PRIMARY KEY,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The PostgreSQL grant layout for production (docs/decisions/030-audit-history-integrity.md).
--
-- Two roles: an owner that owns the schema and runs migrations (`prisma migrate deploy`, or the
-- portal once with GATEHOUSE_AUTO_MIGRATE=true and the owner's DATABASE_URL), and the role the
-- replicas connect as (GATEHOUSE_AUTO_MIGRATE=false). The application's role may only add to the
-- audit history: no UPDATE, DELETE or TRUNCATE on audit_events, and not being the owner it cannot
-- switch off the append-only triggers either (ALTER TABLE needs ownership).
--
-- Run as the owner, in the portal's database, after the role exists (CREATE ROLE gatehouse_app
-- LOGIN PASSWORD '…'), and again after every migration that adds tables. Rename gatehouse_app to
-- the application's role. It is idempotent.

GRANT USAGE ON SCHEMA public TO gatehouse_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO gatehouse_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO gatehouse_app;

-- The audit history: append and read only.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM gatehouse_app;
-- The head moves with every append (its trigger lets it only move forward, onto an existing event).
REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_head FROM gatehouse_app;
-- Migrations are the owner's.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _prisma_migrations FROM gatehouse_app;

-- Written by hand, not generated: no schema change, only triggers Prisma cannot express
-- (docs/decisions/030-audit-history-integrity.md). `npm run db:migration -- --check` replays it.
--
-- The audit history is append-only in the database itself: UPDATE, DELETE and TRUNCATE of
-- audit_events are refused whoever asks. Only the table's owner can switch the triggers off
-- (ALTER TABLE ... DISABLE TRIGGER), and the application's role is not the owner in production;
-- what an owner can still do is caught by the signed checkpoints kept outside the database.

CREATE FUNCTION "audit_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_append_only"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();

CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();

-- The head (the last link, which catches a removed tail) only moves forward, and only onto an
-- event that exists with that hash: it cannot be pointed back at an earlier event, nor removed.
CREATE FUNCTION "audit_head_forward_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit head cannot be removed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW."id" <> 1 THEN
    RAISE EXCEPTION 'audit head is the one row with id 1' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."seq" <= OLD."seq" THEN
    RAISE EXCEPTION 'audit head only moves forward (from % to % refused)', OLD."seq", NEW."seq"
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "audit_events" e WHERE e."seq" = NEW."seq" AND e."hash" = NEW."hash") THEN
    RAISE EXCEPTION 'audit head must name an existing event (seq % with that hash)', NEW."seq"
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "audit_head_forward_only"
  BEFORE INSERT OR UPDATE OR DELETE ON "audit_head"
  FOR EACH ROW EXECUTE FUNCTION "audit_head_forward_only"();

CREATE TRIGGER "audit_head_no_truncate"
  BEFORE TRUNCATE ON "audit_head"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();

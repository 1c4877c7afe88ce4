-- CreateEnum
CREATE TYPE "Environment" AS ENUM ('DEV', 'STAGING', 'PROD');

-- CreateEnum
CREATE TYPE "RequestType" AS ENUM ('SECRET_READ', 'SECRET_REGISTER', 'ROLE');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'ACTIVE', 'ENDED');

-- CreateEnum
CREATE TYPE "DecisionKind" AS ENUM ('APPROVE', 'REJECT');

-- CreateEnum
CREATE TYPE "ApproverGroup" AS ENUM ('SECURITY', 'SECURITY_AND_TEAM_LEAD');

-- CreateEnum
CREATE TYPE "BreakGlassOutcome" AS ENUM ('ACKNOWLEDGED', 'ESCALATED');

-- CreateTable
CREATE TABLE "catalog_secrets" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "environment" "Environment" NOT NULL,
    "team_id" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "arn" TEXT,
    "kms_key_arn" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "catalog_secrets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog_roles" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "environment" "Environment" NOT NULL,
    "function" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "policy" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "catalog_roles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_rules" (
    "id" TEXT NOT NULL,
    "request_type" "RequestType" NOT NULL,
    "environment" "Environment" NOT NULL,
    "approvals_required" INTEGER NOT NULL,
    "approver_group" "ApproverGroup" NOT NULL,
    "max_duration_minutes" INTEGER NOT NULL,
    "pending_ttl_minutes" INTEGER NOT NULL,
    "break_glass_allowed" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "approval_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_requests" (
    "id" TEXT NOT NULL,
    "type" "RequestType" NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'PENDING',
    "environment" "Environment" NOT NULL,
    "requester_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "secret_id" TEXT,
    "role_id" TEXT,
    "proposed_secret" JSONB,
    "justification" TEXT NOT NULL,
    "ticket_ref" TEXT,
    "duration_minutes" INTEGER NOT NULL,
    "starts_at" TIMESTAMP(3),
    "approvals_required" INTEGER NOT NULL,
    "approver_group" "ApproverGroup" NOT NULL,
    "max_duration_minutes" INTEGER NOT NULL,
    "eligible_security_ids" TEXT[],
    "eligible_lead_ids" TEXT[],
    "pending_expires_at" TIMESTAMP(3) NOT NULL,
    "break_glass" BOOLEAN NOT NULL DEFAULT false,
    "break_glass_reason" TEXT,
    "extends_request_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "decided_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),
    "end_reason" TEXT,

    CONSTRAINT "access_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "decisions" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "approver_id" TEXT NOT NULL,
    "kind" "DecisionKind" NOT NULL,
    "capacity" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "break_glass_reviews" (
    "request_id" TEXT NOT NULL,
    "outcome" "BreakGlassOutcome" NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "break_glass_reviews_pkey" PRIMARY KEY ("request_id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "seq" INTEGER NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL,
    "actor_id" TEXT,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "environment" "Environment",
    "team_id" TEXT,
    "request_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "user_agent" TEXT,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "audit_head" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "catalog_secrets_name_key" ON "catalog_secrets"("name");

-- CreateIndex
CREATE INDEX "catalog_secrets_team_id_environment_idx" ON "catalog_secrets"("team_id", "environment");

-- CreateIndex
CREATE UNIQUE INDEX "catalog_roles_team_id_environment_function_key" ON "catalog_roles"("team_id", "environment", "function");

-- CreateIndex
CREATE UNIQUE INDEX "approval_rules_request_type_environment_key" ON "approval_rules"("request_type", "environment");

-- CreateIndex
CREATE INDEX "access_requests_requester_id_created_at_id_idx" ON "access_requests"("requester_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "access_requests_status_created_at_id_idx" ON "access_requests"("status", "created_at", "id");

-- CreateIndex
CREATE INDEX "access_requests_created_at_id_idx" ON "access_requests"("created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "access_requests_team_id_environment_idx" ON "access_requests"("team_id", "environment");

-- CreateIndex
CREATE UNIQUE INDEX "decisions_request_id_approver_id_key" ON "decisions"("request_id", "approver_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events"("hash");

-- CreateIndex
CREATE INDEX "audit_events_occurred_at_seq_idx" ON "audit_events"("occurred_at", "seq");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_seq_idx" ON "audit_events"("actor_id", "seq");

-- CreateIndex
CREATE INDEX "audit_events_request_id_seq_idx" ON "audit_events"("request_id", "seq");

-- CreateIndex
CREATE INDEX "audit_events_action_seq_idx" ON "audit_events"("action", "seq");

-- CreateIndex
CREATE INDEX "audit_events_environment_seq_idx" ON "audit_events"("environment", "seq");

-- CreateIndex
CREATE INDEX "audit_events_team_id_seq_idx" ON "audit_events"("team_id", "seq");

-- AddForeignKey
ALTER TABLE "catalog_secrets" ADD CONSTRAINT "catalog_secrets_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog_roles" ADD CONSTRAINT "catalog_roles_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_secret_id_fkey" FOREIGN KEY ("secret_id") REFERENCES "catalog_secrets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "catalog_roles"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_extends_request_id_fkey" FOREIGN KEY ("extends_request_id") REFERENCES "access_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "access_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "break_glass_reviews" ADD CONSTRAINT "break_glass_reviews_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "access_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "break_glass_reviews" ADD CONSTRAINT "break_glass_reviews_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

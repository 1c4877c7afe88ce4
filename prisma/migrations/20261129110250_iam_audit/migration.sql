-- CreateEnum
CREATE TYPE "BaselinePlanStatus" AS ENUM ('PROPOSED', 'APPROVED', 'APPLIED', 'APPLY_FAILED', 'REJECTED', 'SUPERSEDED');

-- CreateTable
CREATE TABLE "iam_audit_scans" (
    "id" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3) NOT NULL,
    "started_by_id" TEXT,
    "started_by_name" TEXT NOT NULL,
    "principal_count" INTEGER NOT NULL,
    "policy_count" INTEGER NOT NULL,
    "finding_count" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "findings" JSONB NOT NULL,

    CONSTRAINT "iam_audit_scans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "iam_baseline_plans" (
    "id" TEXT NOT NULL,
    "status" "BaselinePlanStatus" NOT NULL DEFAULT 'PROPOSED',
    "group_name" TEXT NOT NULL,
    "policy_name" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "plan" JSONB NOT NULL,
    "author_id" TEXT NOT NULL,
    "author_name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "decided_by_id" TEXT,
    "decided_by_name" TEXT,
    "decided_at" TIMESTAMP(3),
    "decision_comment" TEXT,
    "applied_by_id" TEXT,
    "applied_by_name" TEXT,
    "applied_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "lease_until" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "iam_baseline_plans_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "iam_audit_scans_finished_at_idx" ON "iam_audit_scans"("finished_at");

-- CreateIndex
CREATE INDEX "iam_baseline_plans_status_created_at_idx" ON "iam_baseline_plans"("status", "created_at");

-- CreateIndex
CREATE INDEX "iam_baseline_plans_created_at_idx" ON "iam_baseline_plans"("created_at");

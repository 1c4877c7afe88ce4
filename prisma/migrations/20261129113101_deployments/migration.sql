-- CreateEnum
CREATE TYPE "DeploymentStatus" AS ENUM ('PLANNING', 'PLAN_FAILED', 'PLANNED', 'APPROVAL_PENDING', 'APPROVED', 'REJECTED', 'EXECUTING', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'EXPIRED');

-- CreateTable
CREATE TABLE "deployments" (
    "id" TEXT NOT NULL,
    "environment" "Environment" NOT NULL,
    "stack_name" TEXT NOT NULL,
    "status" "DeploymentStatus" NOT NULL,
    "change_set_type" TEXT NOT NULL,
    "change_set_name" TEXT NOT NULL,
    "change_set_id" TEXT NOT NULL,
    "template_revision" TEXT NOT NULL,
    "parameters" JSONB NOT NULL,
    "overrides" JSONB NOT NULL,
    "changes" JSONB,
    "summary" JSONB,
    "total_resources" INTEGER,
    "plan_error" TEXT,
    "sandbox_fail_resource" TEXT,
    "approvals_required" INTEGER NOT NULL,
    "planned_by_id" TEXT NOT NULL,
    "planned_at" TIMESTAMP(3) NOT NULL,
    "stack_version" TEXT NOT NULL,
    "executed_by_id" TEXT,
    "executed_at" TIMESTAMP(3),
    "execution_started_at" TIMESTAMP(3),
    "baseline_event_id" TEXT,
    "last_event_id" TEXT,
    "active_stack" TEXT,
    "progress_done" INTEGER NOT NULL DEFAULT 0,
    "stack_status" TEXT,
    "failure_reason" TEXT,
    "failed_resource" TEXT,
    "rollback_started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "outputs" JSONB,
    "next_poll_at" TIMESTAMP(3) NOT NULL,
    "poll_failures" INTEGER NOT NULL DEFAULT 0,
    "last_poll_error" TEXT,
    "lease_until" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_approvals" (
    "id" TEXT NOT NULL,
    "deployment_id" TEXT NOT NULL,
    "approver_id" TEXT NOT NULL,
    "kind" "DecisionKind" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_events" (
    "deployment_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "logical_id" TEXT NOT NULL,
    "physical_id" TEXT,
    "resource_type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "deployment_events_pkey" PRIMARY KEY ("deployment_id","event_id")
);

-- CreateTable
CREATE TABLE "stack_drift_checks" (
    "id" TEXT NOT NULL,
    "environment" "Environment" NOT NULL,
    "stack_name" TEXT NOT NULL,
    "detection_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "stack_drift_status" TEXT,
    "drifted_count" INTEGER,
    "resources" JSONB,
    "error" TEXT,
    "requested_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),
    "next_poll_at" TIMESTAMP(3) NOT NULL,
    "lease_until" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "stack_drift_checks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "deployments_active_stack_key" ON "deployments"("active_stack");

-- CreateIndex
CREATE INDEX "deployments_environment_created_at_idx" ON "deployments"("environment", "created_at");

-- CreateIndex
CREATE INDEX "deployments_status_next_poll_at_idx" ON "deployments"("status", "next_poll_at");

-- CreateIndex
CREATE INDEX "deployments_created_at_id_idx" ON "deployments"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_approvals_deployment_id_approver_id_key" ON "deployment_approvals"("deployment_id", "approver_id");

-- CreateIndex
CREATE INDEX "deployment_events_deployment_id_timestamp_idx" ON "deployment_events"("deployment_id", "timestamp");

-- CreateIndex
CREATE INDEX "stack_drift_checks_environment_created_at_idx" ON "stack_drift_checks"("environment", "created_at");

-- CreateIndex
CREATE INDEX "stack_drift_checks_status_next_poll_at_idx" ON "stack_drift_checks"("status", "next_poll_at");

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_planned_by_id_fkey" FOREIGN KEY ("planned_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_executed_by_id_fkey" FOREIGN KEY ("executed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_approvals" ADD CONSTRAINT "deployment_approvals_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_approvals" ADD CONSTRAINT "deployment_approvals_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stack_drift_checks" ADD CONSTRAINT "stack_drift_checks_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateEnum
CREATE TYPE "ControlPlaneChangeKind" AS ENUM ('APPROVAL_RULE', 'CATALOG_SECRET', 'CATALOG_ROLE', 'USER_ROLES');

-- CreateEnum
CREATE TYPE "ControlPlaneChangeStatus" AS ENUM ('PROPOSED', 'APPLIED', 'REJECTED', 'WITHDRAWN', 'SUPERSEDED');

-- CreateTable
CREATE TABLE "control_plane_changes" (
    "id" TEXT NOT NULL,
    "kind" "ControlPlaneChangeKind" NOT NULL,
    "status" "ControlPlaneChangeStatus" NOT NULL DEFAULT 'PROPOSED',
    "target_key" TEXT NOT NULL,
    "target_label" TEXT NOT NULL,
    "environment" "Environment",
    "before" JSONB,
    "payload" JSONB NOT NULL,
    "author_id" TEXT NOT NULL,
    "author_name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by_id" TEXT,
    "decided_by_name" TEXT,
    "decided_at" TIMESTAMP(3),
    "comment" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "control_plane_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "control_plane_changes_status_created_at_idx" ON "control_plane_changes"("status", "created_at");

-- CreateIndex
CREATE INDEX "control_plane_changes_target_key_status_idx" ON "control_plane_changes"("target_key", "status");

-- CreateEnum
CREATE TYPE "PrincipalKind" AS ENUM ('IAM_USER', 'IAM_ROLE');

-- CreateEnum
CREATE TYPE "GrantStatus" AS ENUM ('PENDING', 'ACTIVE', 'GRANT_FAILED', 'ENDING', 'ENDED');

-- CreateEnum
CREATE TYPE "GrantEndReason" AS ENUM ('EXPIRED', 'GIVEN_BACK', 'REVOKED');

-- CreateTable
CREATE TABLE "aws_principals" (
    "user_id" TEXT NOT NULL,
    "kind" "PrincipalKind" NOT NULL,
    "name" TEXT NOT NULL,
    "arn" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "aws_principals_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "grants" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "status" "GrantStatus" NOT NULL DEFAULT 'PENDING',
    "principal_kind" "PrincipalKind" NOT NULL,
    "principal_name" TEXT NOT NULL,
    "principal_arn" TEXT NOT NULL,
    "policy_name" TEXT NOT NULL,
    "policy_arn" TEXT,
    "policy" JSONB NOT NULL,
    "resource_arn" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "applied_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),
    "end_reason" "GrantEndReason",
    "ended_by_id" TEXT,
    "end_comment" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL,
    "last_error" TEXT,
    "lease_until" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "grants_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "aws_principals_arn_key" ON "aws_principals"("arn");

-- CreateIndex
CREATE UNIQUE INDEX "grants_request_id_key" ON "grants"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "grants_policy_name_key" ON "grants"("policy_name");

-- CreateIndex
CREATE INDEX "grants_status_next_attempt_at_idx" ON "grants"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "grants_status_ends_at_idx" ON "grants"("status", "ends_at");

-- AddForeignKey
ALTER TABLE "aws_principals" ADD CONSTRAINT "aws_principals_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grants" ADD CONSTRAINT "grants_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "access_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

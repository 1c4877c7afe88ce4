-- AlterTable
ALTER TABLE "iam_audit_scans" ADD COLUMN     "accounts" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "code_changes" JSONB,
ADD COLUMN     "release_id" TEXT;

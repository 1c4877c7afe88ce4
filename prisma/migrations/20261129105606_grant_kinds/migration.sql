-- AlterTable
ALTER TABLE "grants" ADD COLUMN     "kind" "RequestType" NOT NULL DEFAULT 'SECRET_READ',
ADD COLUMN     "setup" JSONB,
ADD COLUMN     "setup_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "target_url" TEXT;

-- CreateTable
CREATE TABLE "slack_interactions" (
    "signature" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "slack_interactions_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "slack_interactions_expires_at_idx" ON "slack_interactions"("expires_at");

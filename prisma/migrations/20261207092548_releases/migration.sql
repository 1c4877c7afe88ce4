-- CreateTable
CREATE TABLE "releases" (
    "id" TEXT NOT NULL,
    "content_sha256" TEXT NOT NULL,
    "git_commit" TEXT NOT NULL,
    "git_dirty" BOOLEAN NOT NULL,
    "functions" JSONB NOT NULL,
    "built_at" TIMESTAMP(3) NOT NULL,
    "built_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "releases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "releases_content_sha256_key" ON "releases"("content_sha256");

-- CreateIndex
CREATE INDEX "releases_built_at_idx" ON "releases"("built_at");

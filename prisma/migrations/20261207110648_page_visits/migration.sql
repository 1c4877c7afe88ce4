-- CreateTable
CREATE TABLE "page_visits" (
    "user_id" TEXT NOT NULL,
    "page" TEXT NOT NULL,
    "visited_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "page_visits_pkey" PRIMARY KEY ("user_id","page")
);

-- AddForeignKey
ALTER TABLE "page_visits" ADD CONSTRAINT "page_visits_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "aws_principals" DROP CONSTRAINT "aws_principals_pkey",
ALTER COLUMN "account_id" SET NOT NULL,
ADD CONSTRAINT "aws_principals_pkey" PRIMARY KEY ("user_id", "account_id");

-- AlterTable
ALTER TABLE "NotifyInbox" ADD COLUMN "alipayKeyId" TEXT;

-- CreateTable
CREATE TABLE "LockKey" (
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LockKey_pkey" PRIMARY KEY ("key")
);

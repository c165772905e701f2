-- CreateTable
CREATE TABLE "AfterSale" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'REQUESTED',
    "amountFen" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "linesJson" TEXT NOT NULL DEFAULT '[]',
    "photosJson" TEXT NOT NULL DEFAULT '[]',
    "refuseReason" TEXT,
    "returnCarrier" TEXT,
    "returnTrackingNo" TEXT,
    "refundId" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AfterSale_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AfterSale_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProductPhoto" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "productId" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProductPhoto_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AfterSale_refundId_key" ON "AfterSale"("refundId");

-- CreateIndex
CREATE INDEX "AfterSale_orderId_createdAt_idx" ON "AfterSale"("orderId", "createdAt");

-- CreateIndex
CREATE INDEX "AfterSale_userId_createdAt_idx" ON "AfterSale"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "AfterSale_status_createdAt_idx" ON "AfterSale"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProductPhoto_storageKey_key" ON "ProductPhoto"("storageKey");

-- CreateIndex
CREATE INDEX "ProductPhoto_productId_sortOrder_idx" ON "ProductPhoto"("productId", "sortOrder");

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Payment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "outTradeNo" TEXT NOT NULL,
    "tradeNo" TEXT,
    "amountFen" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'CREATED',
    "buyerUserId" TEXT,
    "buyerOpenId" TEXT,
    "paidAt" DATETIME,
    "paidVia" TEXT,
    "method" TEXT NOT NULL DEFAULT 'alipay.trade.create',
    "productCode" TEXT NOT NULL DEFAULT 'JSAPI_PAY',
    "qrCode" TEXT,
    "qrExpiresAt" DATETIME,
    "closedAt" DATETIME,
    "nextQueryAt" DATETIME,
    "queryCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Payment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Payment" ("amountFen", "buyerOpenId", "buyerUserId", "closedAt", "createdAt", "id", "nextQueryAt", "orderId", "outTradeNo", "paidAt", "paidVia", "queryCount", "status", "tradeNo", "updatedAt") SELECT "amountFen", "buyerOpenId", "buyerUserId", "closedAt", "createdAt", "id", "nextQueryAt", "orderId", "outTradeNo", "paidAt", "paidVia", "queryCount", "status", "tradeNo", "updatedAt" FROM "Payment";
DROP TABLE "Payment";
ALTER TABLE "new_Payment" RENAME TO "Payment";
CREATE UNIQUE INDEX "Payment_orderId_key" ON "Payment"("orderId");
CREATE UNIQUE INDEX "Payment_outTradeNo_key" ON "Payment"("outTradeNo");
CREATE UNIQUE INDEX "Payment_tradeNo_key" ON "Payment"("tradeNo");
CREATE INDEX "Payment_status_nextQueryAt_idx" ON "Payment"("status", "nextQueryAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

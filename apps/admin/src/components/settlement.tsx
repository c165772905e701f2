import { formatFen, type SettlementFigures } from '@shop/contract';

import './settlement.css';

/** What Alipay owes the merchant: gross takings − refunds − service fees = net (the bill's 实收净额). */
export function SettlementSummary({ figures, testId }: { figures: SettlementFigures; testId?: string }) {
  return (
    <div className="settlement" data-testid={testId}>
      <div className="settlement__item">
        <span className="muted">收款（{figures.tradeCount} 笔）</span>
        <span className="settlement__value num">{formatFen(figures.grossFen)}</span>
      </div>
      <span className="settlement__op">−</span>
      <div className="settlement__item">
        <span className="muted">退款（{figures.refundCount} 笔）</span>
        <span className="settlement__value num">{formatFen(figures.refundFen)}</span>
      </div>
      <span className="settlement__op">−</span>
      <div className="settlement__item">
        <span className="muted">服务费</span>
        <span className="settlement__value num">{formatFen(figures.feeFen)}</span>
      </div>
      <span className="settlement__op">=</span>
      <div className="settlement__item settlement__item--net">
        <span className="muted">应结算净额</span>
        <span className="settlement__value num">{formatFen(figures.netFen)}</span>
      </div>
    </div>
  );
}

import { type CSSProperties } from 'react';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// ECharts, tree-shaken: only the charts and components registered here are bundled (README, "Charts").
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartProps {
  option: ChartOption;
  style?: CSSProperties;
  className?: string;
}

/** A chart that redraws when `option` changes and resizes with its container. */
export function Chart({ option, style, className }: ChartProps) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      style={{ height: 320, width: '100%', ...style }}
      {...(className === undefined ? {} : { className })}
    />
  );
}

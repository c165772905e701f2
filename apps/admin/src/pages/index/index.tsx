import { View, Text } from '@tarojs/components';
import { createColumnHelper } from '@tanstack/react-table';
import { ERROR_CODES, formatFen } from '@shop/contract';

import { Chart, type ChartOption } from '../../components/chart';
import { type BasicFeatures, DataTable } from '../../components/data-table';
import { readAdminConfig } from '../../config';
import './index.css';

// Placeholder dashboard: proves the app renders, that @shop/contract is compiled into the build, and that the chart
// and table stack works in Taro H5. The dashboard and order pages replace it.
interface ErrorCodeRow {
  code: string;
  status: number;
}

const helper = createColumnHelper<BasicFeatures, ErrorCodeRow>();
const columns = helper.columns([
  helper.accessor('code', { header: '错误码' }),
  helper.accessor('status', { header: 'HTTP 状态' }),
]);
const rows: ErrorCodeRow[] = Object.entries(ERROR_CODES).map(([code, status]) => ({ code, status }));

const statusCounts = rows.reduce<Record<string, number>>((counts, row) => {
  const key = String(row.status);
  counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}, {});
const chartOption: ChartOption = {
  tooltip: { trigger: 'axis' },
  xAxis: { type: 'category', data: Object.keys(statusCounts) },
  yAxis: { type: 'value', minInterval: 1 },
  series: [
    { name: '错误码数', type: 'bar', data: Object.values(statusCounts), itemStyle: { color: '#1677ff' } },
  ],
};

export default function Index() {
  const config = readAdminConfig();
  return (
    <View className="index">
      <Text className="index__title">商家后台</Text>
      <Text className="index__line">
        示例金额 {formatFen(123450)} · API {config.apiBaseUrl}
      </Text>
      <Chart option={chartOption} style={{ height: 240, maxWidth: 640 }} />
      <DataTable caption={`错误码（${rows.length}）`} columns={columns} data={rows} />
    </View>
  );
}

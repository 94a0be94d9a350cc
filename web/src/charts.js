// ECharts (npm echarts@4.9.0): one place that creates charts and keeps them sized.
import * as echartsNs from 'echarts';

export const echarts = echartsNs.default || echartsNs;
const live = new Set();

export function chart(el) {
  const c = echarts.init(el);
  live.add(c);
  return c;
}

export function disposeAll() {
  live.forEach((c) => c.dispose());
  live.clear();
}

window.addEventListener('resize', () => live.forEach((c) => c.resize()));

// Blue sequential palette (5 classes) used by the map and its legend.
export const PALETTE = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
export const NODATA = '#e0e0e0';

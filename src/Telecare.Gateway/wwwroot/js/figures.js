// The supervisor's view of today's figures per zone: a table, a bar chart in inline SVG and the CSV
// download of the same report (GET /api/v1/reports/kpi/zones).
import { api, reason } from './api.js';
import { el, clear, fill, showResult } from './dom.js';

const svgNs = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}, ...children) => {
  const node = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);
// Shares arrive as fractions (0.975), or null when there was nothing to measure.
const pct = (v) => (v === null || v === undefined ? '—' : `${(num(v) * 100).toFixed(1)}%`);
// Durations arrive as .NET TimeSpans: "[d.]hh:mm:ss[.fffffff]".
const seconds = (span) => {
  if (typeof span !== 'string') return null;
  const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span);
  return m ? num(m[1]) * 86400 + num(m[2]) * 3600 + num(m[3]) * 60 + num(m[4]) : null;
};
const secs = (span) => { const s = seconds(span); return s === null ? '—' : `${Math.round(s)} s`; };

export function todayRange() {
  const from = new Date();
  from.setHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + 24 * 3600 * 1000);
  return { from: from.toISOString(), to: to.toISOString() };
}

export class Figures {
  constructor(root) {
    this.root = root;
    this.result = root.querySelector('#figures-result');
    root.querySelector('#figures-refresh').addEventListener('click', () => this.load());
    const { from, to } = todayRange();
    this.query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    root.querySelector('#kpi-csv').href = `/api/v1/reports/kpi/zones?${this.query}&format=csv`;
  }

  async load() {
    showResult(this.result, true, 'Loading today’s figures…');
    try {
      const report = await api(`/api/v1/reports/kpi/zones?${this.query}`);
      this.render(report || {});
      showResult(this.result, true, `Updated ${new Date().toLocaleTimeString('en-GB', { hour12: false })}.`);
    } catch (error) {
      showResult(this.result, false, `The report could not be loaded: ${reason(error)}`);
    }
  }

  /** One row per zone from GET /api/v1/reports/kpi/zones (the fields of KpiReport). */
  static row(z) {
    return {
      name: z.zone || 'All zones',
      alarms: num(z.alarms),
      calls: num(z.calls),
      within60: z.answeredWithinTargetShare,
      within180: z.answeredWithinOuterTargetShare,
      p50: z.answerP50,
      p90: z.answerP90,
      attendances: num(z.attendances),
      attendWithin: z.attendanceWithinTargetShare,
      night: num(z.nightAttendances),
      falseAlarms: num(z.falseAlarms),
      faults: num(z.technicalFaults),
      offline: num(z.devicesOffline),
    };
  }

  render(report) {
    const zones = (report.zones || []).map(Figures.row);
    const total = Figures.row(report.total || {});
    fill(this.root.querySelector('#figures-totals'),
      ...[['Alarms', total.alarms, 'alarms'], ['Calls', total.calls, 'calls'], ['Answered ≤ 60 s', pct(total.within60), 'within60'],
        ['Answered ≤ 180 s', pct(total.within180), 'within180'], ['Attended in target', pct(total.attendWithin), 'attend-within'],
        ['Attendances', total.attendances, 'attendances'], ['Night attendances', total.night, 'night'], ['Technical faults', total.faults, 'faults'], ['Devices offline', total.offline, 'offline']]
        .map(([label, value, key]) => el('div', { class: 'total', dataset: { figure: key } },
          el('span', { class: 'value' }, String(value)), el('span', { class: 'label' }, label))));

    this.renderChart(zones);
    const headings = ['Zone', 'Alarms', 'Calls', '≤ 60 s', '≤ 180 s', 'p50', 'p90', 'Attendances', 'In target', 'Night', 'False alarms', 'Faults', 'Offline'];
    fill(this.root.querySelector('#figures-table'),
      el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
      el('tbody', {}, zones.length === 0 ? el('tr', {}, el('td', { colspan: String(headings.length), class: 'muted' }, 'No zones are set up.'))
        : zones.map((z) => el('tr', { dataset: { zone: z.name, calls: String(z.calls), attendances: String(z.attendances) } },
          el('td', {}, z.name), el('td', {}, z.alarms), el('td', {}, z.calls),
          el('td', {}, pct(z.within60)), el('td', {}, pct(z.within180)), el('td', {}, secs(z.p50)), el('td', {}, secs(z.p90)),
          el('td', {}, z.attendances), el('td', {}, pct(z.attendWithin)), el('td', {}, z.night), el('td', {}, z.falseAlarms),
          el('td', {}, z.faults), el('td', {}, z.offline)))));
  }

  /** Horizontal bars: calls per zone, with the share answered within 60 s as a darker inner bar. */
  renderChart(zones) {
    const box = clear(this.root.querySelector('#figures-chart'));
    if (zones.length === 0) return;
    const max = Math.max(1, ...zones.map((z) => Math.max(z.calls, z.alarms)));
    const rowH = 22;
    const labelW = 230;
    const barW = 420;
    const chart = svg('svg', { viewBox: `0 0 ${labelW + barW + 60} ${zones.length * rowH + 24}`, role: 'img', 'aria-label': 'Calls per zone today', class: 'bars' });
    zones.forEach((z, i) => {
      const y = i * rowH + 4;
      const w = (Math.max(z.calls, z.alarms) / max) * barW;
      const within = z.within60 === undefined || z.within60 === null ? 0 : num(z.within60);
      chart.append(
        svg('text', { x: labelW - 8, y: y + 14, 'text-anchor': 'end', class: 'bar-label' }, z.name),
        svg('rect', { x: labelW, y, width: Math.max(w, 1), height: rowH - 6, class: 'bar' }, svg('title', {}, `${z.name}: ${z.calls} calls`)),
        svg('rect', { x: labelW, y, width: Math.max(w * within, 0), height: rowH - 6, class: 'bar-inner' }),
        svg('text', { x: labelW + w + 6, y: y + 14, class: 'bar-value' }, String(Math.max(z.calls, z.alarms))));
    });
    chart.append(svg('text', { x: labelW, y: zones.length * rowH + 20, class: 'bar-legend' }, 'bar: calls today · dark: share answered within 60 s'));
    box.append(chart);
  }
}

// The supervisor's view of today's figures per zone: a table, a bar chart in inline SVG and the CSV
// download of the same report (GET /api/v1/reports/kpi).
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
const pct = (v) => (v === null || v === undefined || v === '' ? '—' : `${(num(v) <= 1 ? num(v) * 100 : num(v)).toFixed(1)}%`);
const secs = (v) => (v === null || v === undefined ? '—' : `${Math.round(num(v))} s`);

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
    root.querySelector('#kpi-csv').href = `/api/v1/reports/kpi?${this.query}&format=csv`;
  }

  async load() {
    showResult(this.result, true, 'Loading today’s figures…');
    try {
      const report = await api(`/api/v1/reports/kpi?${this.query}`);
      this.render(report || {});
      showResult(this.result, true, `Updated ${new Date().toLocaleTimeString('en-GB', { hour12: false })}.`);
    } catch (error) {
      showResult(this.result, false, `The report could not be loaded: ${reason(error)}`);
    }
  }

  zones(report) {
    const rows = report.zones || report.perZone || report.rows || (Array.isArray(report) ? report : []);
    return rows.map((z) => ({
      name: z.zoneName || z.zone || z.name || 'No zone',
      alarms: num(z.alarms ?? z.alarmCount),
      calls: num(z.calls ?? z.callCount),
      within60: z.answeredWithin60sShare ?? z.answeredWithin60s ?? z.answerWithin60Share,
      within180: z.answeredWithin180sShare ?? z.answeredWithin180s ?? z.answerWithin180Share,
      p50: z.answerP50Seconds ?? z.answerSecondsP50,
      p90: z.answerP90Seconds ?? z.answerSecondsP90,
      attendances: num(z.attendances ?? z.attendanceCount),
      attendWithin: z.attendanceWithinTargetShare ?? z.attendedWithinTarget,
      night: num(z.nightAttendances),
      falseAlarms: num(z.falseAlarms),
      faults: num(z.technicalFaults ?? z.faults),
    }));
  }

  render(report) {
    const zones = this.zones(report);
    const totals = report.totals || report.total || null;
    const totalsBox = this.root.querySelector('#figures-totals');
    const sum = (k) => zones.reduce((s, z) => s + z[k], 0);
    fill(totalsBox, 
      ...[['Alarms', totals ? num(totals.alarms) : sum('alarms')], ['Calls', totals ? num(totals.calls) : sum('calls')],
        ['Answered ≤ 60 s', pct(totals && (totals.answeredWithin60sShare ?? totals.answeredWithin60s))],
        ['Attendances', totals ? num(totals.attendances) : sum('attendances')], ['Night attendances', totals ? num(totals.nightAttendances) : sum('night')]]
        .map(([label, value]) => el('div', { class: 'total' }, el('span', { class: 'value' }, String(value)), el('span', { class: 'label' }, label))));

    this.renderChart(zones);
    const table = this.root.querySelector('#figures-table');
    fill(table, 
      el('thead', {}, el('tr', {}, ['Zone', 'Alarms', 'Calls', '≤ 60 s', '≤ 180 s', 'p50', 'p90', 'Attendances', 'In target', 'Night', 'False alarms', 'Faults'].map((h) => el('th', {}, h)))),
      el('tbody', {}, zones.length === 0 ? el('tr', {}, el('td', { colspan: '12', class: 'muted' }, 'No calls today yet.'))
        : zones.map((z) => el('tr', { dataset: { zone: z.name } }, el('td', {}, z.name), el('td', {}, z.alarms), el('td', {}, z.calls),
          el('td', {}, pct(z.within60)), el('td', {}, pct(z.within180)), el('td', {}, secs(z.p50)), el('td', {}, secs(z.p90)),
          el('td', {}, z.attendances), el('td', {}, pct(z.attendWithin)), el('td', {}, z.night), el('td', {}, z.falseAlarms), el('td', {}, z.faults)))));
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
      const within = z.within60 === undefined || z.within60 === null ? 0 : (num(z.within60) <= 1 ? num(z.within60) : num(z.within60) / 100);
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

// The dispatch console: live queue, technical tickets, breaches, the call panel and (for supervisors)
// today's figures. Everything live comes from /hubs/dispatch; reads that are not live come from /api/v1.
import { api, currentUser, logout, reason } from './api.js';
import { $, el, clear, fill, clock, humanEvent, showResult } from './dom.js';
import { CallStore } from './callstore.js';
import { LiveConnection } from './live.js';
import { Sounds } from './sound.js';
import { CallPanel } from './callpanel.js';
import { ManualCall } from './manual.js';
import { Figures } from './figures.js';

const store = new CallStore();
const state = {
  user: null,
  serverOffset: 0,
  warnSeconds: 60,
  escalateSeconds: 180,
  selected: null,
  breaches: [],
  synced: false,
};

const sounds = new Sounds('telecare.console.sound', $('#sound-toggle'));
const live = new LiveConnection('/hubs/dispatch', $('#connection'), resync);
const panel = new CallPanel($('#call-panel'), live, store, () => now());
const manual = new ManualCall($('#manual-dialog'), live, (call) => select(call.id));
const figures = new Figures($('#view-figures'));

export const now = () => Date.now() + state.serverOffset;

async function resync(connection) {
  const snapshot = await connection.invoke('GetSnapshot');
  applySnapshot(snapshot);
}

function applySnapshot(snapshot) {
  if (!snapshot) return;
  state.serverOffset = Date.parse(snapshot.serverTime) - Date.now();
  state.warnSeconds = snapshot.answerWarnSeconds || state.warnSeconds;
  state.escalateSeconds = snapshot.answerEscalateSeconds || state.escalateSeconds;
  document.body.dataset.warnSeconds = String(state.warnSeconds);
  document.body.dataset.escalateSeconds = String(state.escalateSeconds);
  store.replace([...(snapshot.calls || []), ...(snapshot.tickets || [])]);
  // The snapshot holds the alerts active now: one cleared while this console was away must not linger.
  replaceSystemAlerts(snapshot.alerts || []);
  state.synced = true;
  render();
  panel.refreshHeader();
}

function isTicket(call) {
  return call.kind !== 'alarm';
}

live.on('Snapshot', applySnapshot);
live.on('CallRaised', (call) => {
  const isNew = !store.get(call.id);
  if (store.apply(call)) render();
  if (isNew && state.synced) sounds.play(call.priority);
});
live.on('TicketRaised', (ticket) => {
  const isNew = !store.get(ticket.id);
  if (store.apply(ticket)) render();
  if (isNew && state.synced) sounds.play('ticket');
});
live.on('CallUpdated', (call) => {
  if (store.apply(call)) {
    render();
    if (state.selected === call.id) panel.onUpdated(call);
  }
});
live.on('CallClosed', (closed) => {
  if (store.close(closed)) {
    render();
    if (state.selected === closed.id) panel.onClosed(closed);
  }
});
live.on('TargetBreached', (breach) => {
  state.breaches.unshift(breach);
  state.breaches = state.breaches.slice(0, 50);
  renderBreaches();
  if (breach.target === 'answer-escalate' || breach.target === 'attendance') sounds.play(2);
});
live.on('SystemAlert', (alert) => renderSystemAlert(alert));

// --- queue -----------------------------------------------------------------------------------------

function render() {
  const calls = store.sorted((c) => !isTicket(c));
  const tickets = store.sorted(isTicket);
  renderRows($('#queue-body'), calls, false);
  renderRows($('#tickets-body'), tickets, true);
  $('#queue-count').textContent = String(calls.length);
  $('#ticket-count').textContent = String(tickets.length);
  $('#queue-empty').hidden = calls.length > 0;
  $('#tickets-empty').hidden = tickets.length > 0;
  tick();
}

function statusText(call) {
  switch (call.state) {
    case 'Raised': return 'Waiting';
    case 'Answered': return `Answered by ${call.answeredBy || '?'}`;
    case 'ResponderAssigned': return `Assigned: ${call.responderName || 'responder'}`;
    case 'ResponderAccepted': return `Accepted: ${call.responderName || 'responder'}`;
    case 'EnRoute': return `En route: ${call.responderName || 'responder'}`;
    case 'OnScene': return `On scene: ${call.responderName || 'responder'}`;
    case 'Resolved': return `Resolved${call.outcome ? ': ' + call.outcome : ''}`;
    case 'Cancelled': return call.cancelledByResident ? 'Cancelled by resident — call back' : 'Cancelled';
    default: return call.state;
  }
}

function renderRows(body, calls, tickets) {
  const rows = calls.map((call) => {
    const claimButton = call.state === 'Raised'
      ? el('button', { type: 'button', class: 'claim', onclick: (e) => { e.stopPropagation(); claim(call.id, e.currentTarget); } }, 'Claim')
      : null;
    const flags = (call.flags || []).map((f) => el('span', { class: 'flag' }, f));
    return el('tr', {
      class: `call-row p${call.priority} state-${call.state}${state.selected === call.id ? ' selected' : ''}${call.state === 'Raised' ? ' unanswered' : ''}`,
      dataset: { callId: String(call.id), priority: String(call.priority), version: String(call.version), state: call.state },
      tabindex: '0',
      onclick: () => select(call.id),
      onkeydown: (e) => { if (e.key === 'Enter') select(call.id); },
    },
    el('td', {}, el('span', { class: `prio p${call.priority}`, title: `Priority ${call.priority}` }, `P${call.priority}`)),
    el('td', { class: 'resident' }, el('strong', {}, call.residentName || (tickets ? call.deviceId || 'Unknown device' : 'Unknown resident')),
      call.manual ? el('span', { class: 'tag' }, 'manual') : null, flags),
    el('td', { class: 'zone' }, call.zoneName || '—'),
    el('td', { class: 'event' }, humanEvent(call.eventType), call.summary ? el('div', { class: 'muted small' }, call.summary) : null),
    el('td', { class: 'status' }, statusText(call), call.emergencyServicesCalled ? el('span', { class: 'tag danger' }, '999') : null),
    el('td', { class: 'clock', dataset: { raisedAt: call.raisedAt } }, ''),
    el('td', { class: 'actions' }, claimButton));
  });
  fill(body, ...rows);
}

/** Updates every running clock; amber from the warn target, red from the escalate target, while unanswered. */
function tick() {
  const t = now();
  for (const cell of document.querySelectorAll('td.clock')) {
    const row = cell.parentElement;
    const waited = t - Date.parse(cell.dataset.raisedAt);
    cell.textContent = clock(waited);
    let level = 'ok';
    if (row.closest('#tickets')) {
      level = 'ticket';
    } else if (row.dataset.state === 'Raised') {
      if (waited >= state.escalateSeconds * 1000) level = 'escalate';
      else if (waited >= state.warnSeconds * 1000) level = 'warn';
    } else {
      level = 'answered';
    }
    if (cell.dataset.level !== level) {
      cell.dataset.level = level;
      row.dataset.clock = level;
    }
  }
  panel.tick();
}
setInterval(tick, 250);

// Unanswered emergencies keep sounding until someone claims them.
setInterval(() => {
  const waiting = store.sorted((c) => !isTicket(c) && c.state === 'Raised' && c.priority <= 2);
  if (waiting.length && state.synced) sounds.play(waiting[0].priority);
}, 20000);

async function claim(id, button) {
  if (button) button.disabled = true;
  try {
    const call = await live.invoke('Claim', id);
    if (call && store.apply(call)) render();
    await select(id);
    panel.result(true, 'You answered this call.');
  } catch (error) {
    await select(id);
    panel.result(false, `Claim failed: ${reason(error)}`);
    if (button) button.disabled = false;
  }
}

async function select(id) {
  state.selected = Number(id);
  for (const row of document.querySelectorAll('tr.call-row')) row.classList.toggle('selected', Number(row.dataset.callId) === state.selected);
  await panel.show(state.selected, { claim: (b) => claim(state.selected, b) });
}

// --- breaches and alerts ---------------------------------------------------------------------------

const targetNames = {
  'answer-warn': 'Answer target (warning)',
  'answer-escalate': 'Answer target missed',
  'responder-accept': 'Responder has not accepted',
  attendance: 'Attendance target missed',
};

function renderBreaches() {
  const list = $('#breaches');
  fill(list, ...state.breaches.map((b) => el('li', { class: `breach ${b.target}`, dataset: { callId: String(b.callId), target: b.target } },
    el('time', { datetime: b.at }, new Date(b.at).toLocaleTimeString('en-GB', { hour12: false })), ' ',
    el('strong', {}, targetNames[b.target] || b.target), ' — ',
    el('a', { href: '#', onclick: (e) => { e.preventDefault(); select(b.callId); } }, `call ${b.callId}`), ': ', b.message)));
  $('#breaches-empty').hidden = state.breaches.length > 0;
}

const alerts = new Map();
function renderSystemAlert(alert) {
  const isNew = !alert.cleared && !alerts.has(alert.code);
  if (alert.cleared) alerts.delete(alert.code); else alerts.set(alert.code, alert);
  showSystemAlerts();
  if (isNew && alert.severity === 'critical') sounds.play(1);
}

function replaceSystemAlerts(list) {
  alerts.clear();
  for (const alert of list) alerts.set(alert.code, alert);
  showSystemAlerts();
}

function showSystemAlerts() {
  fill($('#system-alerts'), ...[...alerts.values()].map((a) => el('span', { class: `alert ${a.severity}`, title: a.at }, a.message)));
}

// --- views -----------------------------------------------------------------------------------------

function showView(name) {
  for (const tab of document.querySelectorAll('.tab')) {
    if (tab.dataset.view === name) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
  }
  $('#view-queue').hidden = name !== 'queue';
  $('#view-figures').hidden = name !== 'figures';
  if (name === 'figures') figures.load();
}

for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showView(tab.dataset.view));
$('#logout').addEventListener('click', async () => { await live.stop().catch(() => {}); await logout(); });
$('#manual-open').addEventListener('click', () => manual.open());
document.addEventListener('telecare:changed', () => render());

async function main() {
  let user;
  try {
    user = await currentUser();
  } catch (error) {
    showResult($('#system-alerts'), false, reason(error));
  }
  if (user === null) {
    location.assign('/login?next=%2F');
    return;
  }
  state.user = user;
  if (user) {
    const role = user.roles.includes('supervisor') ? 'supervisor' : 'handler';
    document.body.dataset.role = role;
    $('#who').textContent = String(user.name).includes(role) ? user.name : `${user.name} (${role})`;
    $('#figures-tab').hidden = role !== 'supervisor';
  }
  render();
  await live.start();
}

main();
